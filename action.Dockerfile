# The LxcSnap GitHub Action's image (action.yml: image: action.Dockerfile).
#
# It lives at the repository root, not in action/, because the runner builds an action's
# Dockerfile with the Dockerfile's own directory as the build context (actions/runner,
# ContainerActionHandler: DockerBuild(..., dockerFile, Directory.GetParent(dockerFile), ...)),
# and the image is built from src/LxcSnap.Core as well as action/.
#
# By hand: docker build -f action.Dockerfile -t lxcsnap-action .
# Released: .github/workflows/release.yml builds it on a version tag and pushes it to ghcr.io,
# where prebuilt/action.yml points (a runner pulls it instead of building it).

# --- build: lxcsnap-action as one NativeAOT executable --------------------------------------
# Debian 12 with the .NET SDK installed by Microsoft's script: the executable is later copied
# onto the runner's host and runs on the host's C library, so it is linked against Debian 12's
# glibc (it needs glibc 2.34 or newer: Debian 12, Ubuntu 22.04, RHEL 9 and later).
FROM debian:bookworm-slim AS build
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      ca-certificates curl clang zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
RUN curl -sSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh \
 && bash /tmp/dotnet-install.sh --channel 10.0 --install-dir /usr/share/dotnet \
 && ln -s /usr/share/dotnet/dotnet /usr/local/bin/dotnet
ENV DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
WORKDIR /src
# Restore first, so that a change to the sources reuses the restored packages.
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/LxcSnap.Core/LxcSnap.Core.csproj src/LxcSnap.Core/
COPY action/LxcSnap.Action/LxcSnap.Action.csproj action/LxcSnap.Action/
RUN dotnet restore action/LxcSnap.Action -r linux-x64 -p:PublishAot=true
COPY src/LxcSnap.Core/ src/LxcSnap.Core/
COPY action/LxcSnap.Action/ action/LxcSnap.Action/
# The release workflow passes its tag's version (v1.2.3 -> 1.2.3), which the action's log shows:
# the build context has no .git for MinVer to take it from (without it: 0.0.0-unversioned).
ARG LXCSNAP_VERSION=
RUN dotnet publish action/LxcSnap.Action -c Release -r linux-x64 -p:PublishAot=true --no-restore -o /out \
      ${LXCSNAP_VERSION:+"-p:MinVerVersionOverride=$LXCSNAP_VERSION"} \
 && rm -f /out/*.dbg /out/*.pdb

# --- runtime: slim Debian with liblxc ---------------------------------------------------------
# liblxc here serves only a runner whose action container already is in the host's namespaces;
# normally the agent runs on the host with the host's own liblxc. nsenter (util-linux) enters
# them. No docker CLI: the Engine API is spoken over the socket directly.
FROM debian:bookworm-slim
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends liblxc1 util-linux \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /out/lxcsnap-action /usr/local/bin/lxcsnap-action
COPY action/entrypoint/lxcsnap-action-main action/entrypoint/lxcsnap-action-post /usr/local/bin/
ENTRYPOINT ["/usr/local/bin/lxcsnap-action-main"]
