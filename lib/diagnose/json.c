/* SPDX-License-Identifier: GPL-2.0-or-later */
/* The 'mefw diagnose --json' document: inputs, machines with their facts, images, findings. */
#include <stdio.h>

#include "mefw/diagnose.h"
#include "core/util.h"

static void write_loc(mefw_json *j, const mefw_diag_log *log, mefw_diag_loc at) {
        mefw_json_kv_string(j, "input", at.input < log->n_inputs ? log->inputs[at.input].name : NULL);
        if (at.line)
                mefw_json_kv_uint(j, "line", at.line);
        else
                mefw_json_kv_null(j, "line");
}

static void write_version(mefw_json *j, const char *key, bool has, const uint16_t v[4]) {
        if (!has) {
                mefw_json_kv_null(j, key);
                return;
        }
        char text[32];
        snprintf(text, sizeof text, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
        mefw_json_kv_string(j, key, text);
}

static void write_run(mefw_json *j, const mefw_diag_log *log, const mefw_diag_run *r) {
        mefw_json_begin_object(j);
        mefw_json_kv_string(j, "kind", mefw_run_kind_name(r->kind));
        mefw_json_kv_string(j, "tool", r->tool[0] ? r->tool : NULL);
        mefw_json_kv_string(j, "version", r->version[0] ? r->version : NULL);
        write_loc(j, log, (mefw_diag_loc){ r->input, r->line });
        mefw_json_kv_uint(j, "last_line", r->last_line);
        mefw_json_kv_string(j, "command", r->command[0] ? r->command : NULL);
        mefw_json_kv_string(j, "image", r->image[0] ? r->image : NULL);
        mefw_json_kv_string(j, "environment", r->environment);
        mefw_json_kv_string(j, "environment_from", !r->environment ? NULL : r->environment_from_text ? "user text" : "tool output");
        mefw_json_kv_string(j, "communication_mode", r->comm_mode[0] ? r->comm_mode : NULL);
        if (r->kind == MEFW_RUN_FWUPDATE) {
                mefw_json_kv_bool(j, "image_accepted", r->image_accepted_line != 0);
                mefw_json_key(j, "progress");
                if (r->progress_line) {
                        mefw_json_begin_object(j);
                        mefw_json_kv_uint(j, "percent", r->progress_percent);
                        mefw_json_kv_uint(j, "stage", r->progress_stage);
                        mefw_json_kv_uint(j, "stages", r->progress_stages);
                        mefw_json_kv_uint(j, "line", r->progress_line);
                        mefw_json_end_object(j);
                } else {
                        mefw_json_null(j);
                }
                mefw_json_kv_bool(j, "succeeded", r->success_line != 0);
        }
        mefw_json_kv_uint(j, "errors", r->n_errors);
        mefw_json_end_object(j);
}

static void write_error(mefw_json *j, const mefw_diag_log *log, const mefw_diag_error *e) {
        mefw_json_begin_object(j);
        if (e->code >= 0)
                mefw_json_kv_int(j, "code", e->code);
        else
                mefw_json_kv_null(j, "code");
        mefw_json_kv_string(j, "text", e->text);
        mefw_json_kv_string(j, "kb", e->kb ? e->kb->id : NULL);
        mefw_json_kv_string(j, "class", e->kb ? mefw_kb_class_name(e->kb->cls) : NULL);
        mefw_json_kv_string(j, "input", e->input < log->n_inputs ? log->inputs[e->input].name : NULL);
        mefw_json_key(j, "lines");
        mefw_json_begin_array(j);
        for (unsigned i = 0; i < e->n_lines; i++)
                mefw_json_uint(j, e->lines[i]);
        mefw_json_end_array(j);
        mefw_json_kv_uint(j, "count", e->count);
        mefw_json_end_object(j);
}

static void write_image(mefw_json *j, const mefw_diag_log *log, const mefw_diag_image *img) {
        mefw_json_begin_object(j);
        mefw_json_kv_string(j, "name", img->name);
        mefw_json_kv_string(j, "source", img->source);
        write_loc(j, log, img->at);
        mefw_json_kv_string(j, "family", img->family[0] ? img->family : NULL);
        write_version(j, "version", img->has_version, img->version);
        mefw_json_kv_string(j, "sku", img->sku[0] ? img->sku : NULL);
        mefw_json_kv_string(j, "type", img->type[0] ? img->type : NULL);
        mefw_json_kv_string(j, "release", img->release[0] ? img->release : NULL);
        mefw_json_kv_string(j, "chipset", img->chipset[0] ? img->chipset : NULL);
        mefw_json_kv_string(j, "date", img->date[0] ? img->date : NULL);
        mefw_json_kv_bool(j, "damaged", img->damaged);
        if (img->machine >= 0)
                mefw_json_kv_uint(j, "machine", (unsigned) img->machine + 1);
        else
                mefw_json_kv_null(j, "machine");
        mefw_json_end_object(j);
}

/* A fact: where it was read, from which tool ("user text" for the person's), and whose it is. */
static void write_fact(mefw_json *j, const mefw_diag_log *log, const mefw_diag_fact *f) {
        mefw_json_begin_object(j);
        mefw_json_kv_string(j, "name", f->name);
        mefw_json_kv_string(j, "value", f->value);
        write_loc(j, log, f->at);
        const mefw_diag_run *r = f->run >= 0 && (size_t) f->run < log->n_runs ? &log->runs[f->run] : NULL;
        mefw_json_kv_string(j, "from", r ? (r->tool[0] ? r->tool : mefw_run_kind_name(r->kind)) : "user text");
        mefw_json_kv_string(j, "source", f->person ? "person" : "tool");
        mefw_json_end_object(j);
}

static void write_machine(mefw_json *j, const mefw_diag_log *log, size_t mi) {
        const mefw_diag_machine *m = &log->machines[mi];
        mefw_json_begin_object(j);
        mefw_json_kv_uint(j, "id", mi + 1);
        mefw_json_kv_string(j, "label", m->label);
        mefw_json_kv_bool(j, "live", m->live);
        write_version(j, "firmware", m->has_firmware, m->firmware);
        mefw_json_key(j, "generation");
        if (m->generation.family) {
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "family", m->generation.family);
                mefw_json_kv_uint(j, "major", m->generation.major);
                mefw_json_end_object(j);
        } else {
                mefw_json_null(j);
        }
        mefw_json_key(j, "tools");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < log->n_runs; i++)
                if (log->runs[i].machine == (int) mi && log->runs[i].kind != MEFW_RUN_MEA)
                        write_run(j, log, &log->runs[i]);
        mefw_json_end_array(j);
        mefw_json_key(j, "facts");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < m->n_facts; i++)
                write_fact(j, log, &m->facts[i]);
        mefw_json_end_array(j);
        mefw_json_kv_uint(j, "facts_dropped", m->dropped_facts);
        mefw_json_key(j, "status");
        if (m->status)
                mefw_status_write_json(m->status, j);
        else
                mefw_json_null(j);
        mefw_json_key(j, "errors");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < m->n_errors; i++)
                write_error(j, log, &m->errors[i]);
        mefw_json_end_array(j);
        mefw_json_kv_uint(j, "errors_dropped", m->dropped_errors);
        mefw_json_end_object(j);
}

/* A plan step or a warning: {"id", "text"}. */
static void write_id_text(mefw_json *j, const char *id, const char *text) {
        mefw_json_begin_object(j);
        mefw_json_kv_string(j, "id", id);
        mefw_json_kv_string(j, "text", text);
        mefw_json_end_object(j);
}

static void write_finding(mefw_json *j, const mefw_diag_log *log, const mefw_finding *f) {
        mefw_json_begin_object(j);
        mefw_json_kv_string(j, "id", f->id);
        mefw_json_kv_string(j, "severity", mefw_finding_severity_name(f->severity));
        mefw_json_kv_string(j, "title", f->title);
        mefw_json_kv_string(j, "explanation", f->explanation);
        mefw_json_key(j, "evidence");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < f->n_evidence; i++) {
                mefw_json_begin_object(j);
                write_loc(j, log, f->evidence[i].at);
                mefw_json_kv_string(j, "text", f->evidence[i].text);
                mefw_json_kv_string(j, "kind", f->evidence[i].person ? "person" : "tool");
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);
        mefw_json_key(j, "remedy");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < f->n_remedy; i++)
                mefw_json_string(j, f->remedy[i]);
        mefw_json_end_array(j);
        mefw_json_kv_string(j, "cause", f->cause);
        mefw_json_kv_bool(j, "said_in_verdict", f->absorbed);
        mefw_json_key(j, "steps");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < f->n_steps; i++)
                write_id_text(j, f->steps[i].id, f->steps[i].text);
        mefw_json_end_array(j);
        mefw_json_key(j, "done");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < f->n_done; i++)
                mefw_json_string(j, f->done[i]);
        mefw_json_end_array(j);
        mefw_json_key(j, "warnings");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < f->n_warnings; i++)
                write_id_text(j, f->warnings[i], mefw_diag_warning_text(f->warnings[i]));
        mefw_json_end_array(j);
        mefw_json_kv_string(j, "confidence", mefw_confidence_name(f->confidence));
        mefw_json_kv_string(j, "source", f->source[0] ? f->source : NULL);
        mefw_json_kv_string(j, "class", f->cls);
        if (f->machine >= 0)
                mefw_json_kv_uint(j, "machine", (unsigned) f->machine + 1);
        else
                mefw_json_kv_null(j, "machine");
        mefw_json_end_object(j);
}

void mefw_diag_write_json(const mefw_diag_log *log, const mefw_findings *f, mefw_json *j) {
        mefw_json_begin_object(j);
        mefw_json_key(j, "inputs");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < log->n_inputs; i++) {
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "name", log->inputs[i].name);
                mefw_json_kv_string(j, "kind", log->inputs[i].kind);
                mefw_json_kv_uint(j, "lines", log->inputs[i].n_lines);
                mefw_json_kv_uint(j, "lines_read", log->inputs[i].n_recognized);
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);
        mefw_json_key(j, "facts");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < log->n_facts; i++)
                write_fact(j, log, &log->facts[i]);
        mefw_json_end_array(j);
        mefw_json_kv_uint(j, "facts_dropped", log->dropped_facts);
        mefw_json_key(j, "machines");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < log->n_machines; i++)
                write_machine(j, log, i);
        mefw_json_end_array(j);
        mefw_json_key(j, "images");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < log->n_images; i++)
                write_image(j, log, &log->images[i]);
        mefw_json_end_array(j);
        mefw_json_key(j, "access");
        mefw_json_begin_object(j);
        mefw_json_kv_string(j, "host_write_me", f->access ? f->access : "unknown");
        mefw_json_kv_string(j, "because", f->access_because);
        mefw_json_end_object(j);
        mefw_json_kv_bool(j, "verdict", f->has_verdict);
        mefw_json_key(j, "findings");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < f->n; i++)
                write_finding(j, log, &f->items[i]);
        mefw_json_end_array(j);
        mefw_json_kv_uint(j, "runs_dropped", log->dropped_runs);
        mefw_json_kv_uint(j, "machines_dropped", log->dropped_machines);
        mefw_messages_write_json(j, &log->messages);
        mefw_json_end_object(j);
}
