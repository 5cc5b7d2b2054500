"""The PIM catalog's data layer: loading, validation and the product model.

Plain Python on purpose: nothing here imports MkDocs, so the site generator can change
(ProperDocs, Zensical) without touching how data is read and checked.
"""
