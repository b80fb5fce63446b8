#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Man pages and shell completions, generated from the built mefw's own help texts.

usage: gen-docs.py MEFW OUTDIR
       gen-docs.py --check MEFW SOURCE-DIR OUTDIR

The help texts are the single source: `mefw --help` lists the commands, `mefw CMD --help` gives a
command's usage lines, description and options. From them this writes OUTDIR/mefw.1 and one
OUTDIR/mefw-CMD.1 per command (roff), and completions for bash (mefw), zsh (_mefw) and fish
(mefw.fish). With --check, every long option in the option tables of tools/cmd-*.c must appear in
its command's man page and in every completion, and every command in mefw.c in mefw.1: a
command or option added without help text fails the build's tests.
"""
import os
import re
import subprocess
import sys


def run_help(mefw, *args):
    r = subprocess.run([mefw, *args, "--help"], capture_output=True, text=True, env=dict(os.environ, NO_COLOR="1"))
    return r.stdout


def commands(mefw):
    out = run_help(mefw)
    cmds = []
    in_list = False
    for line in out.splitlines():
        if line.startswith("Commands:"):
            in_list = True
            continue
        if in_list:
            m = re.match(r"  ([a-z][a-z-]*)\s+(.*)", line)
            if not m:
                break
            cmds.append((m.group(1), m.group(2)))
    return out, cmds


def options(text):
    """Long options named anywhere in a help text, in order of first mention."""
    seen = []
    for o in re.findall(r"(?<![\w-])--([a-z][a-z0-9-]*)", text):
        if o not in seen:
            seen.append(o)
    return seen


def roff_escape(s):
    s = s.replace("\\", "\\\\").replace("-", "\\-")
    return "\\&" + s if s.startswith((".", "'")) else s


def man_page(name, section_title, summary, help_text):
    lines = [f'.TH {name.upper()} 1 "" "mefw" "{section_title}"', ".SH NAME", f"{roff_escape(name)} \\- {roff_escape(summary)}",
             ".SH DESCRIPTION", ".nf"]
    lines += [roff_escape(l) for l in help_text.rstrip().splitlines()]
    lines += [".fi", ".SH SEE ALSO", "\\fBmefw\\fR(1)" if name != "mefw" else "the README of the mefw sources"]
    return "\n".join(lines) + "\n"


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def generate(mefw, outdir):
    top, cmds = commands(mefw)
    os.makedirs(outdir, exist_ok=True)
    write(os.path.join(outdir, "mefw.1"), man_page("mefw", "mefw", "Intel Management Engine firmware toolkit", top))
    opts = {}
    for cmd, summary in cmds:
        text = run_help(mefw, cmd)
        opts[cmd] = options(text)
        write(os.path.join(outdir, f"mefw-{cmd}.1"), man_page(f"mefw-{cmd}", "mefw", summary, text))
    names = " ".join(c for c, _ in cmds)
    # bash
    cases = "\n".join(f'        {c}) opts="{" ".join("--" + o for o in opts[c])}" ;;' for c, _ in cmds)
    write(os.path.join(outdir, "mefw"), f"""# bash completion for mefw (generated from its help texts)
_mefw() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} cmd=${{COMP_WORDS[1]}} opts
    if [[ $COMP_CWORD -eq 1 ]]; then
        COMPREPLY=($(compgen -W "{names} --help --version" -- "$cur"))
        return
    fi
    case $cmd in
{cases}
        *) opts="" ;;
    esac
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$opts" -- "$cur"))
    else
        COMPREPLY=($(compgen -f -- "$cur"))
    fi
}}
complete -o filenames -F _mefw mefw
""")
    # zsh
    zcmds = "\n".join(f"    '{c}:{s.replace(chr(39), chr(39) + chr(92) + chr(39) + chr(39))}'" for c, s in cmds)
    zcases = "\n".join(f"    {c}) _arguments {' '.join(repr('--' + o + '[' + o + ']') for o in opts[c])} '*:file:_files' ;;"
                       for c, _ in cmds)
    write(os.path.join(outdir, "_mefw"), f"""#compdef mefw
# zsh completion for mefw (generated from its help texts)
local -a commands
commands=(
{zcmds}
)
if (( CURRENT == 2 )); then
  _describe 'command' commands
  return
fi
case $words[2] in
{zcases}
esac
""")
    # fish
    fish = ["# fish completion for mefw (generated from its help texts)",
            f"complete -c mefw -n '__fish_use_subcommand' -f -a '{names}'"]
    for c, s in cmds:
        fish.append(f"complete -c mefw -n '__fish_use_subcommand' -a {c} -d {repr(s[:60])}")
        for o in opts[c]:
            fish.append(f"complete -c mefw -n '__fish_seen_subcommand_from {c}' -l {o}")
    write(os.path.join(outdir, "mefw.fish"), "\n".join(fish) + "\n")
    return cmds, opts


def source_options(src):
    """{command: [long options]} from the getopt tables of tools/cmd-*.c, and the command names."""
    table = {}
    with open(os.path.join(src, "tools", "mefw.c"), encoding="utf-8") as f:
        cmd_names = re.findall(r'\{ "([a-z-]+)", cmd_([a-z_]+),', f.read())
    funcs = {fn: name for name, fn in cmd_names}
    for fname in sorted(os.listdir(os.path.join(src, "tools"))):
        if not fname.startswith("cmd-") or not fname.endswith(".c"):
            continue
        text = open(os.path.join(src, "tools", fname), encoding="utf-8").read()
        # each command function, with the option table it uses
        for m in re.finditer(r"int cmd_([a-z_]+)\(int argc, char \*\*argv\) \{", text):
            fn = m.group(1)
            if fn not in funcs:
                continue
            body_end = text.find("\n}\n", m.end())
            body = text[m.start():body_end]
            table_src = body
            if "struct option opts" not in body:  # the table lives in a shared parser of the file
                table_src = text
            found = re.findall(r'\{ "([a-z][a-z0-9-]*)", (?:no|required|optional)_argument', table_src)
            table[funcs[fn]] = sorted(set(found))
    return [n for n, _ in cmd_names], table


# Options a shared getopt table accepts but the command's own checks refuse ("--with belongs to
# 'mefw replace'"), and --help, which every command has and whose text is the page itself.
NOT_OPTIONS = {("extract", "with"), ("extract", "force"), ("replace", "all"), ("replace", "in-place")}


def check(mefw, src, outdir):
    names, table = source_options(src)
    table = {c: [o for o in opts if o != "help" and (c, o) not in NOT_OPTIONS] for c, opts in table.items()}
    problems = []
    top = open(os.path.join(outdir, "mefw.1"), encoding="utf-8").read()
    completions = {n: open(os.path.join(outdir, n), encoding="utf-8").read() for n in ("mefw", "_mefw", "mefw.fish")}
    listed = top.replace("\\-", "-")
    for cmd in names:
        if cmd not in listed:
            problems.append(f"command {cmd}: not in mefw.1")
        page = os.path.join(outdir, f"mefw-{cmd}.1")
        text = open(page, encoding="utf-8").read().replace("\\-", "-") if os.path.isfile(page) else ""
        if not text:
            problems.append(f"command {cmd}: no man page")
        for o in table.get(cmd, []):
            if f"--{o}" not in text:
                problems.append(f"{cmd} --{o}: not in mefw-{cmd}.1 (its --help does not name it)")
            for n, body in completions.items():
                if f"--{o}" not in body and f"-l {o}" not in body:
                    problems.append(f"{cmd} --{o}: not in the {n} completion")
    for p in problems:
        print("FAIL", p)
    print(f"{sum(len(v) for v in table.values())} options of {len(names)} commands checked, {len(problems)} problems")
    return 1 if problems else 0


def main(argv):
    if len(argv) == 4 and argv[0] == "--check":
        return check(argv[1], argv[2], argv[3])
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1])
        return 2
    generate(argv[0], argv[1])
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
