"""Learned weights committed with the script that learns them (scripts/learn_ranker.py)."""
