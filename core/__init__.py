"""What every layer shares and none owns: settings, the database engine and the unit of work.

``bot/`` and ``services/`` import from here, never from ``app/``; ``app/`` composes them.
"""
