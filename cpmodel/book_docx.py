"""The book as a Word document, for committees that review in Word (tracked changes, comments).
Same content and order as the HTML book; python-docx is part of the `office` extra."""
from __future__ import annotations

import datetime as dt
import io

from cpmodel.book import Book, Entry, FindingNote, summary_sentences
from cpmodel.office import require

COLOURS = {"error": (0xB0, 0x00, 0x20), "warning": (0x8A, 0x5A, 0x00), "info": (0x0B, 0x53, 0x94),
           "muted": (0x59, 0x63, 0x6E)}


def book_docx(book: Book) -> bytes:
    docx = require("docx", "--format docx")
    from docx.shared import Pt, RGBColor

    document = docx.Document()
    document.core_properties.title = f"{book.name}: the procedure as modelled"
    document.styles["Normal"].font.size = Pt(10.5)
    document.add_heading(book.name, level=0)
    intro = document.add_paragraph(f"The procedure as modelled, version {book.version}, read from {book.file}; "
                                   f"made {dt.datetime.now():%d %B %Y %H:%M} by cpmodel.")
    intro.runs[0].font.color.rgb = RGBColor(*COLOURS["muted"])
    for sentence in summary_sentences(book) + book.notes:
        document.add_paragraph(sentence)

    def muted(paragraph, text):
        run = paragraph.add_run(text)
        run.font.color.rgb = RGBColor(*COLOURS["muted"])
        run.font.size = Pt(9)
        return run

    def add_finding(finding: FindingNote):
        paragraph = document.add_paragraph(style="List Bullet 2")
        label = "Known defect (acknowledged)" if finding.acknowledged else f"Checker: {finding.severity}"
        run = paragraph.add_run(f"{label} ({finding.kind.replace('_', ' ')}): ")
        run.bold = True
        run.font.color.rgb = RGBColor(*COLOURS.get(finding.severity, COLOURS["info"]))
        paragraph.add_run(finding.message)
        if finding.reason:
            muted(paragraph, f" Reason: {finding.reason}")
        muted(paragraph, f"  [{finding.id}]")

    def add_entry(entry: Entry):
        paragraph = document.add_paragraph(style="List Bullet")
        head = paragraph.add_run(entry.title.upper() + (f" ({entry.strength.replace('_', ' ')})" if entry.strength else "") + ": ")
        head.bold = True
        paragraph.add_run(entry.sentence)
        muted(paragraph, f"  [{entry.id}]")
        if entry.detail:
            muted(document.add_paragraph(style="List Continue"), entry.detail)
        if entry.formal:
            run = muted(document.add_paragraph(style="List Continue"), entry.formal)
            run.font.name = "Consolas"
        if entry.interpretation:
            note = document.add_paragraph(style="List Continue")
            note.add_run("Interpretation: ").bold = True
            note.add_run(entry.interpretation)
        for finding in entry.findings:
            add_finding(finding)

    for document_block in book.documents:
        document.add_heading(document_block.title, level=1)
        for section in document_block.sections:
            heading = document.add_heading(section.heading + " ", level=2)
            muted(heading, section.ref)
            if section.entries:
                document.add_heading("Carried for the section as a whole", level=3)
                for entry in section.entries:
                    add_entry(entry)
            for finding in section.findings:
                add_finding(finding)
            for paragraph_block in section.paragraphs:
                line = document.add_paragraph()
                line.add_run(paragraph_block.ref + " ").bold = True
                excerpt = line.add_run(paragraph_block.excerpt)
                excerpt.italic = True
                if paragraph_block.not_modelled:
                    note = document.add_paragraph(style="List Bullet")
                    note.add_run("NOT MODELLED: ").bold = True
                    note.add_run(paragraph_block.not_modelled)
                elif not paragraph_block.entries:
                    muted(document.add_paragraph(style="List Bullet"), "Not traced: no model item cites this paragraph.")
                for entry in paragraph_block.entries:
                    if entry.id in paragraph_block.repeats:
                        line = document.add_paragraph(style="List Bullet")
                        line.add_run(f"{entry.title.upper()}: ").bold = True
                        muted(line, f"as above ({paragraph_block.repeats[entry.id]}) [{entry.id}]")
                    else:
                        add_entry(entry)
    if book.uncited:
        document.add_heading("Items citing nothing listed", level=1)
        for entry in book.uncited:
            add_entry(entry)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
