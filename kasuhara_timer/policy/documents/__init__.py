"""The five municipal documents the bundled profiles cite, byte-identical (see README.md).

A package only so the texts ship with the wheel and are found with importlib.resources;
`kasuhara_timer.policy.loader.document_text` reads them.
"""
