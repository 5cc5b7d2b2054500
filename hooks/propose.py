"""The proposal form (/contribute/propose/): its spec, built by pim/propose.py from the schema,
the vocabularies, the stakeholders and the products, for overrides/propose.html as
`pim.propose_form`."""

from __future__ import annotations

from hooks.state import current
from pim.propose import form_spec


def describe_form(config):
    """The branch of repo_url that proposals go to (`extra.propose_branch` in mkdocs.yml, from
    PROPOSE_BRANCH), and the form's spec: the same for every language, and cheap (a few ms)."""
    state = current()
    state.propose_branch = str(config.extra.get("propose_branch") or "main")
    state.propose_form = form_spec(state.catalog, state.root, config.repo_url or "", state.propose_branch)
    return config
