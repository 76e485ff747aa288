"""Evaluations domain: researchers measure accuracy and fairness on their own labelled data."""
