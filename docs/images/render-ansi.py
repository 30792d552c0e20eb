#!/usr/bin/env python3
"""Render a terminal capture with ANSI colours (`tmux capture-pane -p -e`) to a PNG.

    .venv/bin/python docs/images/render-ansi.py capture.ans docs/images/run-hesa-return.png

Needs Pillow (matplotlib brings it into .venv) and DejaVu Sans Mono (Debian: fonts-dejavu-core).
How the README's picture was captured (a 100x30 terminal, mid-run):

    tmux new-session -d -s cap -x 100 -y 30 -c "$PWD" 'env TERM=xterm-256color bash --norc'
    tmux send-keys -t cap "PS1='$ '; clear" Enter
    tmux send-keys -t cap 'npx flow run workflows/hesa-return.yml -p inject_errors=true' Enter
    sleep 18; tmux capture-pane -p -e -t cap > capture.ans   # while error_report runs
"""
import re
import sys

from PIL import Image, ImageDraw, ImageFont

FONT_DIR = "/usr/share/fonts/truetype/dejavu/"
SIZE = 16
BG, FG = (30, 30, 36), (220, 220, 215)
# The xterm palette's 16 colours, slightly softened for a dark background.
PALETTE = [(30, 30, 36), (224, 95, 95), (110, 200, 110), (220, 190, 90), (100, 150, 230), (200, 120, 210),
           (90, 190, 200), (200, 200, 200), (120, 120, 130), (255, 120, 120), (140, 230, 140), (240, 220, 120),
           (130, 170, 255), (230, 150, 240), (120, 220, 230), (255, 255, 255)]
SGR = re.compile(r"\x1b\[([0-9;]*)m")


def colour256(n):
    if n < 16:
        return PALETTE[n]
    if n < 232:
        n -= 16
        steps = [0, 95, 135, 175, 215, 255]
        return steps[n // 36], steps[(n // 6) % 6], steps[n % 6]
    v = 8 + 10 * (n - 232)
    return v, v, v


def parse_line(line, style):
    """[(char, style)] for one line; `style` carries over to the next line, as in a terminal."""
    cells, pos = [], 0
    for m in SGR.finditer(line):
        cells += [(ch, dict(style)) for ch in line[pos:m.start()]]
        pos = m.end()
        codes = [int(c) if c else 0 for c in m.group(1).split(";")] or [0]
        i = 0
        while i < len(codes):
            c = codes[i]
            if c == 0:
                style.clear()
            elif c == 1:
                style["bold"] = True
            elif c == 2:
                style["dim"] = True
            elif c == 22:
                style.pop("bold", None)
                style.pop("dim", None)
            elif 30 <= c <= 37 or 90 <= c <= 97:
                style["fg"] = PALETTE[c - 30 if c < 90 else c - 90 + 8]
            elif 40 <= c <= 47 or 100 <= c <= 107:
                style["bg"] = PALETTE[c - 40 if c < 100 else c - 100 + 8]
            elif c in (38, 48) and i + 1 < len(codes):
                key = "fg" if c == 38 else "bg"
                if codes[i + 1] == 5:
                    style[key] = colour256(codes[i + 2])
                    i += 2
                elif codes[i + 1] == 2:
                    style[key] = tuple(codes[i + 2:i + 5])
                    i += 4
            elif c == 39:
                style.pop("fg", None)
            elif c == 49:
                style.pop("bg", None)
            i += 1
    cells += [(ch, dict(style)) for ch in line[pos:]]
    return cells


def render(text, out):
    lines = text.rstrip("\n").split("\n")
    while lines and not SGR.sub("", lines[-1]).strip():
        lines.pop()
    regular = ImageFont.truetype(FONT_DIR + "DejaVuSansMono.ttf", SIZE)
    bold = ImageFont.truetype(FONT_DIR + "DejaVuSansMono-Bold.ttf", SIZE)
    braille = ImageFont.truetype(FONT_DIR + "DejaVuSans.ttf", SIZE)  # the spinner's glyphs: not in the mono face
    cw, ch = round(regular.getlength("M")), round(SIZE * 1.45)
    cols = max(100, max(len(SGR.sub("", l)) for l in lines))
    pad, bar = 18, 30
    img = Image.new("RGB", (cols * cw + 2 * pad, len(lines) * ch + 2 * pad + bar), BG)
    d = ImageDraw.Draw(img)
    d.rectangle([0, 0, img.width, bar], fill=(48, 48, 56))
    for i, c in enumerate([(237, 106, 94), (245, 191, 79), (98, 197, 84)]):
        d.ellipse([14 + i * 20, 10, 26 + i * 20, 22], fill=c)
    style = {}
    for row, line in enumerate(lines):
        y = bar + pad + row * ch
        for col, (char, s) in enumerate(parse_line(line, style)):
            x = pad + col * cw
            if "bg" in s:
                d.rectangle([x, y, x + cw, y + ch], fill=s["bg"])
            fg = s.get("fg", FG)
            if s.get("dim"):
                fg = tuple((a + b) // 2 for a, b in zip(fg, BG))
            font = braille if 0x2800 <= ord(char) <= 0x28FF else bold if s.get("bold") else regular
            d.text((x, y + 2), char, font=font, fill=fg)
    img.save(out, optimize=True)


if __name__ == "__main__":
    render(open(sys.argv[1], encoding="utf-8").read(), sys.argv[2])
