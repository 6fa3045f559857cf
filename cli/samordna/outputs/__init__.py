"""Outputs (forms, plan, report, charts, region): read core results, write files.

The core never imports from here.
"""
