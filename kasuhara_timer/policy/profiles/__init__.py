"""The bundled policy profiles, one TOML file per municipal document in shared/policies/.

A package only so the files ship with the wheel and are found with importlib.resources.
"""
