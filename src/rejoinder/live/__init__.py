"""Fan-out of new comments to open widgets: in-process, or through Redis for several processes."""
