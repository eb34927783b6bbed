"""The catalogue shipped with Sigap: offices, complaint categories and programmes as YAML.

Not code: a package only so that the wheel carries these files beside the code that reads
them (services/catalogue.py). An office points CATALOGUE_DIR at its own copy instead.
"""
