"""The reviewers' and analysts' web page at /ui/, and the offline API docs at /docs.

A static HTML shell and small ES modules served by the API itself: no second server, no build
step, nothing loaded from third parties, and it talks to the service only through /v1.
"""
