"""QR codes drawn as inline SVG: a printed link-code receipt carries them with nothing fetched
from anywhere, and a phone's camera opens the deep link they hold."""

from __future__ import annotations

import segno
from markupsafe import Markup

# Medium error correction (segno raises it when the symbol has room): a receipt folded into a
# wallet still scans.
ERROR = "m"


def qr_code(data: str) -> segno.QRCode:
    """The symbol for ``data``; always a full QR code, which every phone camera reads (a Micro
    QR code would be smaller but few readers know it)."""
    return segno.make_qr(data, error=ERROR)


def qr_svg(data: str, *, title: str) -> Markup:
    """``data`` as an inline ``<svg>``; segno escapes the title, and ``data`` is drawn, not
    written, so nothing typed reaches the page's markup."""
    svg = qr_code(data).svg_inline(scale=4, border=4, title=title, svgclass="qr")
    return Markup(svg)
