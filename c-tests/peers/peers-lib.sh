# Shared by c-tests/peers/glibc-tests.sh and programs.sh (sourced, with
# $here set to c-tests/peers): the paths, c-tests/lib.sh (ensure_packages),
# the private apt configuration, the install prefix.
ctests=$(cd "$here/.." && pwd)
root=$(cd "$ctests/.." && pwd)
tbase=${CARGO_TARGET_DIR:-$root/target}
case $tbase in /*) ;; *) tbase=$root/$tbase ;; esac
out=${SCHED_CLONE_OUT:-$tbase/capi}
pdir=$tbase/peers
. "$ctests/lib.sh"

# A private apt configuration in DIR for bookworm (+ security, updates) with
# lines of TYPE (deb or deb-src); fills peers_apt_opts. The host's sources
# and dpkg state stay as they are. The indexes are refreshed when the list
# changed or is a day old.
peers_apt_setup() { # dir type
    local adir=$1 type=$2 list="" s k=/usr/share/keyrings/debian-archive-keyring.gpg
    peers_apt_opts=(-o "Dir::Etc::SourceList=$adir/sources.list" -o Dir::Etc::SourceParts=/nonexistent
        -o "Dir::State::Lists=$adir/lists" -o "Dir::Cache=$adir/cache" -o "Dir::State::status=$adir/status"
        -o Debug::NoLocking=1 -o APT::Sandbox::User=root)
    mkdir -p "$adir/lists/partial" "$adir/cache/archives/partial"
    : >"$adir/status"
    for s in bookworm bookworm-updates; do list+="$type [signed-by=$k] http://deb.debian.org/debian $s main"$'\n'; done
    list+="$type [signed-by=$k] http://deb.debian.org/debian-security bookworm-security main"$'\n'
    printf '%s' "$list" >"$adir/sources.list.new"
    if ! cmp -s "$adir/sources.list.new" "$adir/sources.list" ||
        [ -n "$(find "$adir/sources.list" -mtime +0 2>/dev/null)" ]; then
        mv "$adir/sources.list.new" "$adir/sources.list"
        apt-get "${peers_apt_opts[@]}" update -q >"$adir/update.log" 2>&1 ||
            { rm -f "$adir/sources.list"; echo "apt-get update failed: see $adir/update.log" >&2; return 1; }
    else
        rm -f "$adir/sources.list.new"
    fi
}

# `make install` into PREFIX, then the pkg-config answers a user gets:
# pc_cflags, pc_libs, pc_static, libdir.
peers_install_prefix() { # prefix
    rm -rf "$1"; mkdir -p "$(dirname "$1")"
    make -s -C "$root" install PREFIX="$1" >"$1.log" 2>&1 || { echo "make install failed: see $1.log" >&2; return 1; }
    export PKG_CONFIG_PATH=$1/lib/pkgconfig
    pc_cflags=$(pkg-config --cflags sched_clone) && pc_libs=$(pkg-config --libs sched_clone) &&
        pc_static=$(pkg-config --static --cflags --libs sched_clone) &&
        libdir=$(pkg-config --variable=libdir sched_clone)
}

# Closes every descriptor above 2 in the calling (sub)shell.
close_stray_fds() {
    local fd
    for fd in $(ls /proc/$BASHPID/fd); do
        [ "$fd" -le 2 ] || eval "exec $fd>&-" 2>/dev/null
    done
}
