"""Peer finding and desk-research logic: matching, assessments, catalogue, analytics. Pure: no store."""
