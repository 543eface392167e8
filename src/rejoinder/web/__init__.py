"""Server-rendered pages: the demo article and the moderator dashboard."""
