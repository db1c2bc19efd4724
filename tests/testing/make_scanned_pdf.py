#!/usr/bin/env python3
"""Makes a PDF whose pages are scans (a PNG image, no text layer), optionally after a page of
real text: the fixtures of OCR tests, made without any PDF tool.

Usage: make_scanned_pdf.py OUT.pdf IMAGE.png [--text-page "words"] [--dpi 300]

The PNG must be 8-bit grey or RGB, without alpha or interlacing: its IDAT stream goes into the
PDF as is (FlateDecode with PNG predictors), the way img2pdf does it.
"""
import argparse
import struct
import zlib


def read_png(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        raise SystemExit(f"{path}: not a PNG")
    pos, idat, header = 8, b"", None
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind = data[pos + 4:pos + 8]
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    if depth != 8 or colour not in (0, 2) or interlace:
        raise SystemExit(f"{path}: needs an 8-bit grey or RGB PNG without alpha or interlacing")
    return width, height, (1 if colour == 0 else 3), idat


def make_pdf(out, image, text_page=None, dpi=300):
    width, height, colours, idat = read_png(image)
    page_w, page_h = width * 72.0 / dpi, height * 72.0 / dpi
    objects = []  # bodies; object n is objects[n - 1]

    def add(body):
        objects.append(body)
        return len(objects)

    catalog = add(None)
    pages = add(None)
    kids = []
    if text_page:
        font = add(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
        content = b"BT /F1 12 Tf 36 %d Td (%s) Tj ET" % (int(page_h) - 24, text_page.encode("latin-1"))
        stream = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
        kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] "
                        b"/Resources << /Font << /F1 %d 0 R >> >> /Contents %d 0 R >>"
                        % (pages, page_w, page_h, font, stream)))
    space = b"/DeviceGray" if colours == 1 else b"/DeviceRGB"
    xobject = add(b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace %s "
                  b"/BitsPerComponent 8 /Filter /FlateDecode /DecodeParms << /Predictor 15 "
                  b"/Colors %d /BitsPerComponent 8 /Columns %d >> /Length %d >>\nstream\n"
                  % (width, height, space, colours, width, len(idat)) + idat + b"\nendstream")
    content = b"q %.2f 0 0 %.2f 0 0 cm /Im0 Do Q" % (page_w, page_h)
    stream = add(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content))
    kids.append(add(b"<< /Type /Page /Parent %d 0 R /MediaBox [0 0 %.2f %.2f] "
                    b"/Resources << /XObject << /Im0 %d 0 R >> >> /Contents %d 0 R >>"
                    % (pages, page_w, page_h, xobject, stream)))
    objects[catalog - 1] = b"<< /Type /Catalog /Pages %d 0 R >>" % pages
    objects[pages - 1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    out_bytes = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out_bytes))
        out_bytes += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out_bytes)
    out_bytes += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out_bytes += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out_bytes += b"trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1, catalog, xref)
    with open(out, "wb") as f:
        f.write(out_bytes)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("image")
    parser.add_argument("--text-page")
    parser.add_argument("--dpi", type=int, default=300)
    args = parser.parse_args()
    make_pdf(args.out, args.image, args.text_page, args.dpi)
