#!/bin/sh
# Build the careers site and publish it to an S3 bucket behind CloudFront.
#
#   BUCKET=company-www PREFIX=careers DISTRIBUTION=E1ABCDEF2GHIJK \
#   BASE_URL=https://company.com/careers/ sh examples/deploy/s3-cloudfront.sh
#
# Run it from the site's folder, with the AWS CLI configured. Fingerprinted
# files (their names carry a hash of their bytes) are cached for a year;
# images, video, feeds and the sitemap for an hour; pages are revalidated on
# every visit. Pages go up after the files they link to, stale files are
# removed last, then CloudFront forgets what it cached.
# Tested: tests/deploy.rs checks it with shellcheck and runs it on the demo
# site with a stand-in `aws` that records every upload's Cache-Control.
set -eu

: "${BUCKET:?name the bucket: BUCKET=...}"
: "${DISTRIBUTION:?name the CloudFront distribution: DISTRIBUTION=...}"
: "${BASE_URL:?give the site address: BASE_URL=https://company.com/careers/}"
prefix="${PREFIX:+${PREFIX%/}/}"
dest="s3://${BUCKET}/${prefix}"

storypath check
storypath build --base-url "$BASE_URL"

year="public, max-age=31536000, immutable"
hour="public, max-age=3600"
page="public, max-age=0, must-revalidate"

# Fingerprinted files: a year.
aws s3 sync public/ "$dest" --exclude '*' --include 'css/*' --include 'js/*' --include 'og/*' \
  --include '*.??????????.*' --cache-control "$year"
# Everything else but pages: an hour.
aws s3 sync public/ "$dest" --exclude '*.html' --exclude '.storypath-output' --cache-control "$hour"
# Pages last: none of them links to a file that is not there yet.
aws s3 sync public/ "$dest" --exclude '*' --include '*.html' --cache-control "$page"
# Only now remove what the new build no longer has.
aws s3 sync public/ "$dest" --exclude '.storypath-output' --delete
aws cloudfront create-invalidation --distribution-id "$DISTRIBUTION" --paths "/${prefix}*"
