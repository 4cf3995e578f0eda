"""The image pipeline (articles.images): each rule is a test; every test image is made here.

The upload API's answers to the same inputs are in test_upload.py.
"""

import io
import re

import pytest
from PIL import ExifTags, Image, PngImagePlugin

from articles import images
from articles.images import ImageRejected, random_name
from articles.tests.imagefiles import (
    ELF,
    HTML_AS_PNG,
    PE,
    SVG,
    XMP,
    encode,
    exif_with_gps,
    png_header_only,
    two_colour,
)

DEFAULTS = {"max_bytes": 5 * 1024 * 1024, "max_pixels": 50_000_000, "max_frames": 500, "max_side": 2560}


def clean_image(data, **limits):
    """The pipeline with the default settings' limits, some overridden."""
    return images.clean_image(data, **{**DEFAULTS, **limits})

def reopen(clean):
    im = Image.open(io.BytesIO(clean.data))
    im.load()
    return im


def assert_no_metadata(clean):
    im = reopen(clean)
    assert not im.getexif(), dict(im.getexif())
    for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment", "Raw profile type exif"):
        assert key not in im.info, (key, im.info.get(key))
    assert b"GPS" not in clean.data and b"FakeCam" not in clean.data and b"xmpmeta" not in clean.data
    return im


# --- accepted formats, re-encoded without metadata -------------------------------------------


def test_jpeg_with_gps_exif_and_xmp_is_stripped():
    src = encode(two_colour(), "JPEG", exif=exif_with_gps(), xmp=XMP)
    # the source really carries it
    src_im = Image.open(io.BytesIO(src))
    assert src_im.getexif().get_ifd(ExifTags.IFD.GPSInfo) and b"xmpmeta" in src
    clean = clean_image(src)
    assert (clean.content_type, clean.ext, clean.frames) == ("image/jpeg", "jpg", 1)
    im = assert_no_metadata(clean)
    assert im.format == "JPEG" and im.size == (40, 20)


def test_jpeg_orientation_is_applied_to_the_pixels():
    # Orientation 6: the camera held sideways; a viewer rotates 90 degrees clockwise.
    src = encode(two_colour((40, 20)), "JPEG", exif=exif_with_gps(orientation=6))
    clean = clean_image(src)
    im = assert_no_metadata(clean)
    assert im.size == (20, 40)  # upright without any tag
    top, bottom = im.getpixel((10, 5)), im.getpixel((10, 35))
    assert top[0] > 200 and top[2] < 60  # red on top after a clockwise turn
    assert bottom[2] > 200 and bottom[0] < 60


def test_jpeg_icc_profile_is_kept():
    icc = b"\x00" * 128 + b"fake-icc-profile"
    clean = clean_image(encode(two_colour(), "JPEG", icc_profile=icc))
    assert reopen(clean).info.get("icc_profile") == icc


def test_png_text_chunks_and_exif_are_stripped_transparency_kept():
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "GPS 39.9N 116.4E")
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    im = two_colour(mode="RGBA")
    im.putpixel((0, 0), (0, 0, 0, 0))
    clean = clean_image(encode(im, "PNG", pnginfo=info, exif=exif_with_gps()))
    assert (clean.content_type, clean.ext) == ("image/png", "png")
    out = assert_no_metadata(clean)
    assert not getattr(out, "text", {})
    assert out.mode == "RGBA" and out.getpixel((0, 0))[3] == 0


def test_palette_png_with_transparency():
    im = two_colour().convert("P")
    clean = clean_image(encode(im, "PNG", transparency=0))
    out = reopen(clean)
    assert out.mode == "P" and "transparency" in out.info


def test_webp_exif_and_xmp_are_stripped():
    src = encode(two_colour(mode="RGBA"), "WEBP", exif=exif_with_gps(), xmp=XMP, lossless=True)
    assert b"GPS" in src or b"xmpmeta" in src
    clean = clean_image(src)
    assert (clean.content_type, clean.ext) == ("image/webp", "webp")
    assert assert_no_metadata(clean).format == "WEBP"


def test_still_gif():
    clean = clean_image(encode(two_colour().convert("P"), "GIF", comment=b"shot at 39.9N GPS"))
    assert (clean.content_type, clean.ext, clean.frames) == ("image/gif", "gif", 1)
    assert assert_no_metadata(clean).format == "GIF"


def animated_gif(n=3, size=(30, 20), comment=b"made at GPS 39.9N"):
    frames = [Image.new("RGB", size, c).convert("P") for c in ("red", "green", "blue") * (n // 3 + 1)][:n]
    return encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300][:n] * (n // 3 + 1), loop=0, comment=comment)


def test_animated_gif_keeps_its_animation_and_loses_its_comment():
    src = Image.open(io.BytesIO(animated_gif()))
    src_colours = []
    for i in range(3):
        src.seek(i)
        src_colours.append(src.convert("RGB").getpixel((5, 5)))
    clean = clean_image(animated_gif())
    assert clean.frames == 3
    im = assert_no_metadata(clean)
    assert im.n_frames == 3 and im.info.get("loop") == 0
    durations = []
    for i in range(3):
        im.seek(i)
        durations.append(im.info["duration"])
        assert im.convert("RGB").getpixel((5, 5)) == src_colours[i]
    assert durations == [100, 200, 300]


def test_animated_png_and_webp_keep_frames():
    frames = [Image.new("RGBA", (16, 16), c) for c in ("red", "green")]
    for fmt in ("PNG", "WEBP"):
        src = encode(frames[0], fmt, save_all=True, append_images=frames[1:], duration=[50, 70], loop=0)
        clean = clean_image(src)
        assert clean.frames == 2, fmt
        assert reopen(clean).n_frames == 2


def test_mpo_phone_photo_is_accepted_as_jpeg():
    src = encode(two_colour(), "MPO", save_all=True, append_images=[two_colour()], exif=exif_with_gps())
    assert Image.open(io.BytesIO(src)).format == "MPO"
    clean = clean_image(src)
    assert (clean.content_type, clean.ext, clean.frames) == ("image/jpeg", "jpg", 1)
    assert assert_no_metadata(clean).format == "JPEG"


def test_large_picture_is_scaled_down():
    clean = clean_image(encode(two_colour((3000, 1000)), "PNG"), max_side=1200)
    assert (clean.width, clean.height) == (1200, 400)


def test_appended_payload_is_not_carried_over():
    polyglot = encode(two_colour(), "PNG") + b"<script>alert(1)</script>"
    clean = clean_image(polyglot)
    assert b"<script" not in clean.data


# --- refused ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "data",
    [
        pytest.param(SVG, id="svg-with-script"),
        pytest.param(HTML_AS_PNG, id="html-named-png"),
        pytest.param(ELF, id="renamed-elf-executable"),
        pytest.param(PE, id="renamed-windows-executable"),
        pytest.param(b"", id="empty"),
        pytest.param(b"GIF89a", id="gif-magic-only"),
    ],
)
def test_non_images_are_refused(data):
    with pytest.raises(ImageRejected) as exc:
        clean_image(data)
    assert exc.value.reason in ("not_image", "broken")


@pytest.mark.parametrize("fmt", ["BMP", "TIFF", "ICO", "PPM"])
def test_other_image_formats_are_refused(fmt):
    with pytest.raises(ImageRejected) as exc:
        clean_image(encode(two_colour(), fmt))
    assert exc.value.reason == "not_image"


def test_too_many_bytes():
    data = encode(two_colour(), "PNG")
    with pytest.raises(ImageRejected) as exc:
        clean_image(data, max_bytes=len(data) - 1)
    assert exc.value.reason == "too_large"
    assert clean_image(data, max_bytes=len(data)).frames == 1


def test_too_many_pixels_is_refused_before_decoding():
    # Declares 5000 x 5000 but has 64 bytes of pixels: decoding it would fail as "broken";
    # "too_many_pixels" proves the limit is applied from the header, before any decoding.
    data = png_header_only(5000, 5000)
    with pytest.raises(ImageRejected) as exc:
        clean_image(data, max_pixels=20_000_000)
    assert exc.value.reason == "too_many_pixels"
    with pytest.raises(ImageRejected) as exc:
        clean_image(data, max_pixels=30_000_000)
    assert exc.value.reason == "broken"  # under the limit, the decode runs and finds it truncated


def test_decompression_bomb_over_pillows_own_guard():
    # 60000 x 60000 = 3.6 G pixels in a ~100 byte file: Pillow raises DecompressionBombError
    # in open(), even if our limit were set above Pillow's.
    data = png_header_only(60000, 60000)
    assert len(data) < 200
    with pytest.raises(ImageRejected) as exc:
        clean_image(data, max_pixels=10**12)
    assert exc.value.reason == "too_many_pixels"


def test_real_compressed_bomb_is_refused():
    # 8000 x 8000 of one colour: 64 M pixels in a few hundred KB.
    data = encode(Image.new("L", (8000, 8000)), "PNG", optimize=True)
    assert len(data) < 1_000_000
    with pytest.raises(ImageRejected) as exc:
        clean_image(data, max_pixels=50_000_000)
    assert exc.value.reason == "too_many_pixels"


def test_animation_counts_pixels_over_all_frames():
    data = animated_gif(n=9, size=(100, 100))
    assert clean_image(data, max_pixels=90_000).frames == 9
    with pytest.raises(ImageRejected) as exc:
        clean_image(data, max_pixels=89_999)
    assert exc.value.reason == "too_many_pixels"
    with pytest.raises(ImageRejected) as exc:
        clean_image(data, max_frames=8)
    assert exc.value.reason == "too_many_frames"


def test_truncated_jpeg_is_broken():
    data = encode(Image.effect_noise((200, 200), 64).convert("RGB"), "JPEG")
    with pytest.raises(ImageRejected) as exc:
        clean_image(data[: len(data) // 2])
    assert exc.value.reason == "broken"


# --- names --------------------------------------------------------------------------------------


def test_random_name():
    names = {random_name("png") for _ in range(1000)}
    assert len(names) == 1000
    for n in list(names)[:5]:
        assert re.fullmatch(r"images/\d{4}/\d{2}/[0-9a-f]{32}\.png", n), n


def test_pillow_default_guard_stays_behind_ours(settings):
    assert Image.MAX_IMAGE_PIXELS == 89_478_485  # 0.25 GiB of 24-bit pixels; errors at twice that
    assert settings.UPLOAD_IMAGE_MAX_PIXELS < Image.MAX_IMAGE_PIXELS
