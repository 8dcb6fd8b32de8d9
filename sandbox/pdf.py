"""A real, small PDF of one invoice (fpdf2's core fonts, hence Latin-1 text and "EUR")."""

from __future__ import annotations

from fpdf import FPDF

from sandbox.models import BillingProfile, Invoice


def _text(value: str) -> str:
    return value.encode("latin-1", "replace").decode("latin-1")


def _money(cents: int) -> str:
    sign = "-" if cents < 0 else ""
    return f"{sign}{abs(cents) // 100},{abs(cents) % 100:02d} EUR"


def invoice_pdf(invoice: Invoice) -> bytes:
    profile = BillingProfile.objects.filter(user=invoice.user).first()
    pdf = FPDF()
    # Stamped with the invoice's own date, so the same invoice always gives the same bytes.
    pdf.set_creation_date(invoice.created_at)
    pdf.set_title(f"Invoice {invoice.invoice_number}")
    pdf.add_page()
    pdf.set_font("Helvetica", "B", 16)
    pdf.cell(0, 10, _text(f"Invoice {invoice.invoice_number}"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=10)
    header = [
        f"Billing month: {invoice.billing_month:%B %Y} ({invoice.billing_month.isoformat()})",
        f"State: {invoice.state}",
        f"Customer: {profile.name if profile else invoice.user.username}",
    ]
    if profile and profile.invoice_additional_info:
        header.append(profile.invoice_additional_info)
    for line in header:
        pdf.cell(0, 6, _text(line), new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    _lines(pdf, "Items", [(item["label"], item["price"]) for item in invoice.items])
    details = [(f"{d['app']}: {d['label']} ({d['duration']} min)", d["price"]) for d in invoice.detailed_items]
    _lines(pdf, "Details per app", details)
    vat = invoice.total_price_with_vat - invoice.total_price
    pdf.set_font("Helvetica", "B", 10)
    totals = [
        ("Total excluding VAT", invoice.total_price),
        (f"VAT {invoice.vat_rate / 10:g}%", vat),
        ("Total including VAT", invoice.total_price_with_vat),
    ]
    for label, cents in totals:
        pdf.cell(140, 6, _text(label))
        pdf.cell(0, 6, _money(cents), align="R", new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def _lines(pdf: FPDF, title: str, rows: list[tuple[str, int]]) -> None:
    pdf.set_font("Helvetica", "B", 11)
    pdf.cell(0, 7, title, new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", size=9)
    for label, cents in rows:
        pdf.cell(140, 5, _text(label)[:95])
        pdf.cell(0, 5, _money(cents), align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(3)
