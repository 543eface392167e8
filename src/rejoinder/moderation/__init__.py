"""Signals ▶ policy ▶ decision. Nothing here talks HTTP; stores are reached through Protocols."""
