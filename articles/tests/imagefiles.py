"""Test images, made here: metadata-laden photos, bombs, and files that only pretend."""

import io
import struct
import zlib

from PIL import ExifTags, Image

XMP = (
    b'<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">'
    b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description '
    b'xmlns:exif="http://ns.adobe.com/exif/1.0/" exif:GPSLatitude="39,54.0N" '
    b'exif:GPSLongitude="116,23.0E"/></rdf:RDF></x:xmpmeta><?xpacket end="w"?>'
)


def exif_with_gps(orientation=1):
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "FakeCam"
    exif[ExifTags.Base.Orientation] = orientation
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (39.0, 54.0, 0.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (116.0, 23.0, 0.0)
    return exif


def two_colour(size=(40, 20), mode="RGB"):
    """Left half red, right half blue: orientation changes are visible in the pixels."""
    im = Image.new(mode, size, "blue")
    im.paste(Image.new(mode, (size[0] // 2, size[1]), "red"), (0, 0))
    return im


def encode(im, fmt, **kw):
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script><rect width="10" height="10"/></svg>'
HTML_AS_PNG = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + bytes(range(256)) * 4
PE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 56 + b"This program cannot be run in DOS mode." + bytes(200)


def png_header_only(width, height):
    """A PNG that declares width x height and carries (almost) no pixel data."""

    def chunk(kind, body):
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def jpeg_with_gps(size=(640, 360)):
    """A striped photo (visible in screenshots) whose EXIF says where it was taken."""
    im = Image.new("RGB", size, (14, 116, 144))
    for x in range(0, size[0], 40):
        im.paste((251, 191, 36), (x, 0, x + 20, size[1]))
    return encode(im, "JPEG", exif=exif_with_gps())


def png_bytes(colour=(194, 65, 12), size=(300, 120)):
    return encode(Image.new("RGB", size, colour), "PNG")
