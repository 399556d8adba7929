#!/bin/bash
# The image tags a release of the action pushes, for .github/workflows/release.yml:
#
#   scripts/action-image-tags.sh TAG OWNER [METADATA]    e.g. v1.2.3 Acme
#
# prints, for $GITHUB_OUTPUT:
#
#   version=1.2.3                            (the action's version: the image's build argument)
#   image=ghcr.io/acme/lxcsnap-action        (ghcr.io wants the owner in lowercase)
#   tags=ghcr.io/acme/lxcsnap-action:v1.2.3 ghcr.io/acme/lxcsnap-action:v1
#
# Image tags are git tag names: the version's own, and the moving major tag that
# `uses: OWNER/REPO/prebuilt@v1` pulls (a pre-release such as v1.3.0-rc.1 does not move it).
# It refuses, before anything is built, a tag that is not a version and a METADATA
# (prebuilt/action.yml) whose runs.image is not the moving tag this release pushes: a runner
# would pull another owner's image or another major version's.
set -euo pipefail

if [ $# -lt 2 ] || [ $# -gt 3 ]; then
    echo "usage: $0 TAG OWNER [METADATA]" >&2
    exit 2
fi
tag=$1
owner=$2
metadata=${3:-"$(dirname "$0")/../prebuilt/action.yml"}

if ! [[ $tag =~ ^v(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$ ]]; then
    echo "$0: tag '$tag' is not a release version: push a tag such as v1.2.3 or v1.3.0-rc.1." >&2
    exit 1
fi
version=${tag#v}
major=v${BASH_REMATCH[1]}
image=ghcr.io/${owner,,}/lxcsnap-action

named=$(sed -n 's/^  image: *//p' "$metadata")
if [ "$named" != "docker://$image:$major" ]; then
    echo "$0: $metadata has runs.image '$named', but release $tag of ${owner}'s repository pushes $image:$major:" \
         "set it to 'image: docker://$image:$major', commit, and tag that commit." >&2
    exit 1
fi

echo "version=$version"
echo "image=$image"
if [ -n "${BASH_REMATCH[4]}" ]; then
    echo "tags=$image:$tag"
else
    echo "tags=$image:$tag $image:$major"
fi
