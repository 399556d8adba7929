# bash completion for lxc-snap(1): options, subcommands, container and snapshot names.

# The lxcpath and store the words typed so far name (-P, --snapshot-path), else the defaults.
_lxc_snap_paths() {
    local i lxcpath="" store=""
    for ((i = 1; i < ${#COMP_WORDS[@]} - 1; i++)); do
        case ${COMP_WORDS[i]} in
            -P | --lxcpath) lxcpath=${COMP_WORDS[i + 1]} ;;
            --snapshot-path) store=${COMP_WORDS[i + 1]} ;;
        esac
    done
    [ -n "$lxcpath" ] || lxcpath=$(lxc-config lxc.lxcpath 2>/dev/null || echo /var/lib/lxc)
    [ -n "$store" ] || store=${LXCSNAP_STORE:-${lxcpath%/}snaps}
    printf '%s\n%s\n' "$lxcpath" "$store"
}

_lxc_snap_containers() { lxc-ls -P "$1" -1 2>/dev/null; }
# Snapshots are the store's entries named NAME_N.
_lxc_snap_snapshots() { find "$1" -mindepth 1 -maxdepth 1 -name '*_[0-9]*' -printf '%f\n' 2>/dev/null; }

_lxc_snap() {
    local cur=${COMP_WORDS[COMP_CWORD]} prev=${COMP_WORDS[COMP_CWORD - 1]}
    local paths lxcpath store
    paths=$(_lxc_snap_paths)
    lxcpath=${paths%%$'\n'*} store=${paths#*$'\n'}

    case $prev in
        -P | --lxcpath | --snapshot-path) COMPREPLY=($(compgen -d -- "$cur")); return ;;
        -c | --comment | -o | --logfile) COMPREPLY=($(compgen -f -- "$cur")); return ;;
        --logpriority) COMPREPLY=($(compgen -W "TRACE DEBUG INFO NOTICE WARN ERROR CRIT ALERT FATAL" -- "$cur")); return ;;
        -r | --restore | -d | --destroy) COMPREPLY=($(compgen -W "$(_lxc_snap_snapshots "$store")" -- "$cur")); return ;;
        -l | --list | -n | --name | run | begin | end | prune) COMPREPLY=($(compgen -W "$(_lxc_snap_containers "$lxcpath")" -- "$cur")); return ;;
        --label | --keep | --older-than) return ;;
    esac

    local subcommand="" word
    for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
        case $word in
            run | begin | end | prune | diff) subcommand=$word; break ;;
            --) return ;; # run's COMMAND: bash's own completion would be a guess
        esac
    done
    local common="-P --lxcpath --snapshot-path --json -q --quiet -o --logfile --logpriority -h --help"
    local options
    case $subcommand in
        run) options="--label --keep-failed --keep --inputs-hash --skip-if-unchanged" ;;
        begin) options="--label --replace --recover --inputs-hash --skip-if-unchanged" ;;
        end) options="--label --success --failure --keep-failed --keep" ;;
        prune) options="--keep --older-than --dry-run" ;;
        diff) options="--stat --exit-code" ;;
        *) options="-l --list -r --restore -d --destroy -c --comment -n --name --allow-running -f --force --dry-run --version" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$options $common" -- "$cur"))
    elif [ -z "$subcommand" ]; then
        COMPREPLY=($(compgen -W "run begin end prune diff $(_lxc_snap_containers "$lxcpath")" -- "$cur"))
    elif [ "$subcommand" = diff ]; then
        # diff NAME_N [NAME_M|CONTAINER]: a snapshot first, then a snapshot or a container.
        local operands=-1 skip="" # -1 until the word diff itself
        for word in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do
            if [ -n "$skip" ]; then skip=""; continue; fi
            case $word in
                -P | --lxcpath | --snapshot-path | -o | --logfile | --logpriority) skip=1 ;; # its value is no operand
                -*) ;;
                *) if [ $operands -ge 0 ] || [ "$word" = diff ]; then operands=$((operands + 1)); fi ;;
            esac
        done
        case $operands in
            0) COMPREPLY=($(compgen -W "$(_lxc_snap_snapshots "$store")" -- "$cur")) ;;
            1) COMPREPLY=($(compgen -W "$(_lxc_snap_snapshots "$store") $(_lxc_snap_containers "$lxcpath")" -- "$cur")) ;;
        esac
    fi
}
complete -F _lxc_snap lxc-snap
