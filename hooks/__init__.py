"""The build's stages: MkDocs glue between the data layer (`pim/`) and Material's templates.

mkdocs.yml lists one hook, hooks/pipeline.py, which runs the stages of this package in the
order it states. The project is installed into its venv (`make install`), so `hooks` and `pim`
are imported like any package."""
