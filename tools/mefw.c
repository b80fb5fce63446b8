/* SPDX-License-Identifier: GPL-2.0-or-later */
/* mefw: command-line front end. Each subcommand lives in its own cmd-*.c file. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "guard.h"
#include "mefw/json.h"
#include "term.h"

static const struct {
        const char *name;
        int (*run)(int argc, char **argv);
        const char *summary;
} commands[] = {
        { "analyze", cmd_analyze, "identify and validate firmware images (SPI dump, ME region, update .bin)" },
        { "ifd", cmd_ifd, "decode a flash descriptor; unlock it or set the ME-disable strap" },
        { "extract", cmd_extract, "copy one region (me, bios, gbe, ...) out of a full SPI image" },
        { "replace", cmd_replace, "put a new region into a full SPI image, refusing what would not boot" },
        { "flash", cmd_flash, "write an image or one region to the flash chip (libflashrom): backup, check, write what changes, verify" },
        { "unpack", cmd_unpack, "write every region, partition and module of a file into a folder, with an index" },
        { "status", cmd_status, "the ME's state as MEInfo/MEManuf show it: live, from register values or a log" },
        { "diagnose", cmd_diagnose, "explain a failed ME update from pasted MEInfo/MEManuf/FWUpdLcl/FPT logs, and what to do" },
        { "check-update", cmd_check_update, "will this image update this machine (every FWUpdLcl rule), and how" },
        { "db", cmd_db, "the firmware database: known builds, advisories, keys; check or export it" },
};

static void usage(FILE *f) {
        fprintf(f,
                "Usage: mefw COMMAND [OPTIONS] ...\n"
                "\n"
                "Intel Management Engine firmware toolkit.\n"
                "\n"
                "Commands:\n");
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
                fprintf(f, "  %-12s %s\n", commands[i].name, commands[i].summary);
        fprintf(f,
                "\n"
                "Run 'mefw COMMAND --help' for the options of a command. Every command also takes\n"
                "--color=auto|always|never (auto: colour on a terminal, unless NO_COLOR is set).\n"
                "Exit codes: 0 ok, 1 problem found, 2 usage error, 3 unreadable input or no device.\n");
}

typedef struct {
        int (*run)(int argc, char **argv);
        int argc;
        char **argv;
        int exit_code;
} command_job;

static int run_command(void *userdata) {
        command_job *job = userdata;
        job->exit_code = job->run(job->argc, job->argv);
        return 0;
}

static bool wants_json(int argc, char **argv) {
        for (int i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
                if (strcmp(argv[i], "--json") == 0 || strcmp(argv[i], "-j") == 0)
                        return true;
        return false;
}

static const char *exit_code_name(int code) {
        switch (code) {
        case EXIT_PROBLEM:
                return "problem";
        case EXIT_USAGE:
                return "usage";
        case EXIT_UNREADABLE:
                return "unreadable";
        default:
                return "ok";
        }
}

/* --json was asked but the command ended without its document: say why in one. */
static void json_error_document(const char *command, int exit_code, const char *code) {
        mefw_json j;
        mefw_json_init(&j, true);
        mefw_json_begin_object(&j);
        mefw_json_kv_string(&j, "command", command);
        mefw_json_key(&j, "error");
        mefw_json_begin_object(&j);
        mefw_json_kv_string(&j, "code", code ? code : exit_code_name(exit_code));
        mefw_json_kv_uint(&j, "exit_code", (uint64_t) exit_code);
        term_captured_write_json(&j, "messages");
        mefw_json_end_object(&j);
        mefw_json_end_object(&j);
        if (mefw_json_ok(&j))
                term_json_emit(&j);
        mefw_json_free(&j);
}

/* --color=WHEN anywhere on the line is for every command: taken out before the command sees it.
 * 0, or EXIT_USAGE after saying why. */
static int take_color_option(int *argc, char **argv) {
        int out = 0;
        for (int i = 0; i < *argc; i++) {
                if (strncmp(argv[i], "--color", 7) != 0 || (argv[i][7] != '=' && argv[i][7] != 0))
                        argv[out++] = argv[i];
                else {
                        const char *when = argv[i][7] == '=' ? argv[i] + 8 : "always";
                        int mode = strcmp(when, "always") == 0 ? 1 : strcmp(when, "never") == 0 ? -1
                                 : strcmp(when, "auto") == 0   ? 0 : 2;
                        if (mode == 2) {
                                fprintf(stderr, "mefw: --color takes auto, always or never, not '%s'\n", when);
                                return EXIT_USAGE;
                        }
                        term_set_color(mode);
                }
        }
        *argc = out;
        argv[out] = NULL;
        return 0;
}

int main(int argc, char **argv) {
        term_init();
        if (take_color_option(&argc, argv) != 0)
                return EXIT_USAGE;
        if (argc < 2) {
                usage(stderr);
                return EXIT_USAGE;
        }
        if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "help") == 0) {
                usage(stdout);
                return EXIT_OK;
        }
        if (strcmp(argv[1], "--version") == 0) {
                printf("mefw %s\n", MEFW_VERSION_STRING);
                return EXIT_OK;
        }
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
                if (strcmp(argv[1], commands[i].name) == 0) {
                        bool json = wants_json(argc - 1, argv + 1);
                        if (json)
                                term_capture_stderr();
                        command_job job = { commands[i].run, argc - 1, argv + 1, EXIT_UNREADABLE };
                        const char *error_code = NULL;
                        if (cli_guarded(run_command, &job) == -ESTALE) {
                                fprintf(stderr,
                                        "mefw %s: an input file changed (it shrank) while it was read; nothing was "
                                        "written\n",
                                        commands[i].name);
                                job.exit_code = EXIT_UNREADABLE;
                                error_code = "input-changed";
                        }
                        if (json && !term_json_emitted() && job.exit_code != EXIT_OK)
                                json_error_document(commands[i].name, job.exit_code, error_code);
                        return job.exit_code;
                }
        fprintf(stderr, "mefw: unknown command '%s'\n\n", argv[1]);
        usage(stderr);
        return EXIT_USAGE;
}
