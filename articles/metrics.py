from prometheus_client import Counter, Histogram

# Someone tried to write an article that is not theirs: a client bug or tampering.
ARTICLE_FOREIGN_WRITES = Counter(
    "tinybook_article_foreign_write_attempts",
    "Attempts to edit, publish or withdraw another author's article",
    ["action"],
)

# Image uploads by outcome: stored, or the reason for a refusal (too_large, not_image, broken,
# too_many_pixels, too_many_frames, rate_limited).
IMAGE_UPLOADS = Counter("tinybook_image_uploads", "Article image uploads by outcome", ["outcome"])
# Reading, decoding, re-encoding and storing one image (the CPU and storage cost of an upload).
IMAGE_UPLOAD_SECONDS = Histogram(
    "tinybook_image_upload_seconds",
    "Time to check, re-encode and store one uploaded image",
    buckets=(0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
