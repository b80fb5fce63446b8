/* SPDX-License-Identifier: GPL-2.0-or-later */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "mefw/core.h"
#include "util.h"

const char *mefw_severity_name(mefw_severity s) {
        switch (s) {
        case MEFW_ERROR:
                return "error";
        case MEFW_WARNING:
                return "warning";
        default:
                return "note";
        }
}

int mefw_messages_add(mefw_messages *m, mefw_severity severity, const char *code, int64_t offset,
                      const char *fmt, ...) {
        if (m->count >= MEFW_MESSAGES_MAX) {
                m->dropped++;
                return 0;
        }
        int r = grow_array((void **) &m->items, &m->capacity, m->count + 1, sizeof(m->items[0]));
        if (r < 0)
                return r;

        char *text = NULL;
        va_list ap;
        va_start(ap, fmt);
        int n = vasprintf(&text, fmt, ap);
        va_end(ap);
        if (n < 0)
                return -ENOMEM;
        /* said once: a structure read twice (a region inside a full image, say) must not repeat
         * what it already said about the same place */
        for (size_t i = 0; i < m->count; i++)
                if (m->items[i].offset == offset && m->items[i].severity == severity &&
                    strcmp(m->items[i].code, code) == 0 && strcmp(m->items[i].text, text) == 0) {
                        free(text);
                        return 0;
                }

        m->items[m->count++] = (mefw_message){
                .severity = severity,
                .code = code,
                .offset = offset,
                .text = text,
        };
        return 1;
}

void mefw_messages_clear(mefw_messages *m) {
        for (size_t i = 0; i < m->count; i++)
                free(m->items[i].text);
        free(m->items);
        *m = (mefw_messages){};
}

void mefw_messages_remove_code(mefw_messages *m, const char *code) {
        size_t kept = 0;
        for (size_t i = 0; i < m->count; i++) {
                if (strcmp(m->items[i].code, code) == 0) {
                        free(m->items[i].text);
                        continue;
                }
                m->items[kept++] = m->items[i];
        }
        m->count = kept;
}

mefw_severity mefw_messages_worst(const mefw_messages *m, bool *ret_any) {
        mefw_severity worst = MEFW_NOTE;
        for (size_t i = 0; i < m->count; i++)
                if (m->items[i].severity > worst)
                        worst = m->items[i].severity;
        if (ret_any)
                *ret_any = m->count > 0;
        return worst;
}

void mefw_messages_write_json(mefw_json *j, const mefw_messages *msgs) {
        mefw_json_key(j, "messages");
        mefw_json_begin_array(j);
        for (size_t i = 0; i < msgs->count; i++) {
                const mefw_message *m = &msgs->items[i];
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "severity", mefw_severity_name(m->severity));
                mefw_json_kv_string(j, "code", m->code);
                if (m->offset >= 0)
                        mefw_json_kv_uint(j, "offset", (uint64_t) m->offset);
                else
                        mefw_json_kv_null(j, "offset");
                mefw_json_kv_string(j, "text", m->text);
                mefw_json_end_object(j);
        }
        if (msgs->dropped) {
                char text[96];
                snprintf(text, sizeof text, "%zu further messages were not kept", msgs->dropped);
                mefw_json_begin_object(j);
                mefw_json_kv_string(j, "severity", "note");
                mefw_json_kv_string(j, "code", "messages-dropped");
                mefw_json_kv_null(j, "offset");
                mefw_json_kv_string(j, "text", text);
                mefw_json_end_object(j);
        }
        mefw_json_end_array(j);
}

char *mefw_format_version(const uint16_t v[4], char *buf, size_t len) {
        snprintf(buf, len, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
        return buf;
}
