"""A finished matplotlib figure as file bytes, and the figure closed (pyplot keeps every open
figure alive, so a long report run would otherwise grow without bound)."""
from __future__ import annotations

import io


def figure_bytes(figure, image_format: str = "png", dpi: int | None = None, tight: bool = True) -> bytes:
    import matplotlib.pyplot as plt
    buffer = io.BytesIO()
    options = {"format": image_format, "dpi": dpi} if dpi else {"format": image_format}
    figure.savefig(buffer, bbox_inches="tight" if tight else None, **options)
    plt.close(figure)
    return buffer.getvalue()
