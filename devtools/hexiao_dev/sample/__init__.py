"""Seeded generator of realistic, messy sample data (rolls, cremation extracts, ground truth).

Run it as ``python -m hexiao_dev.sample.generator --out DIR``; the API is ``hexiao_dev.sample.generator.generate``.
"""
