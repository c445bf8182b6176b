#include "CEditShim.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <wchar.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>

EditLine *iql_el_init(const char *program) { return el_init(program, stdin, stdout, stderr); }

void iql_el_set_prompt(EditLine *el, iql_prompt_fn fn) { el_set(el, EL_PROMPT, fn); }

void iql_el_set_editor(EditLine *el, const char *mode) { el_set(el, EL_EDITOR, mode); }

void iql_el_set_history(EditLine *el, History *h) { el_set(el, EL_HIST, history, h); }

void iql_el_set_clientdata(EditLine *el, void *data) { el_set(el, EL_CLIENTDATA, data); }

void *iql_el_get_clientdata(EditLine *el) {
    void *data = NULL;
    el_get(el, EL_CLIENTDATA, &data);
    return data;
}

void iql_el_add_function(EditLine *el, const char *name, const char *help, iql_key_fn fn) {
    el_set(el, EL_ADDFN, name, help, fn);
}

void iql_el_bind(EditLine *el, const char *key, const char *name) { el_set(el, EL_BIND, key, name, NULL); }

void iql_el_disable_tty_signals(EditLine *el) {
    el_set(el, EL_SETTY, "-d", "-isig", NULL);
    el_set(el, EL_SETTY, "-x", "-icanon", NULL);
}

int iql_el_source_user(EditLine *el) { return el_source(el, NULL); }

static volatile sig_atomic_t interrupted = 0;

// Bytes read from the terminal but not yet given to libedit: looking ahead (for a paste's
// markers, or for whether a whole next line is already waiting) must not lose them.
static unsigned char ahead[8192];
static size_t ahead_start = 0, ahead_end = 0;
// Between a bracketed paste's start and end markers.
static int in_paste = 0;

static const char paste_start[] = "\033[200~";
static const char paste_end[] = "\033[201~";

// Reads whatever is waiting (up to the room left), waiting at most `timeout_ms`; returns the
// number of bytes added, 0 if none came, -1 at end of input or on an error other than EINTR.
static int fill(int timeout_ms) {
    if (ahead_start == ahead_end) ahead_start = ahead_end = 0;
    if (ahead_end == sizeof ahead) {
        if (ahead_start == 0) return 0;
        memmove(ahead, ahead + ahead_start, ahead_end - ahead_start);
        ahead_end -= ahead_start;
        ahead_start = 0;
    }
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN, .revents = 0};
    int ready = poll(&p, 1, timeout_ms);
    if (ready <= 0) return ready < 0 && errno != EINTR ? -1 : 0;
    ssize_t n = read(STDIN_FILENO, ahead + ahead_end, sizeof ahead - ahead_end);
    if (n > 0) {
        ahead_end += (size_t)n;
        return (int)n;
    }
    if (n == -1 && errno == EINTR) return 0;
    return -1;
}

// If the bytes ahead start with `marker` (waiting briefly for the rest of it: a terminal sends
// a marker in one write), drops it and returns 1.
static int take_marker(const char *marker) {
    size_t len = strlen(marker);
    for (int tries = 0; ahead_end - ahead_start < len && tries < 3; tries++) {
        if (memcmp(ahead + ahead_start, marker, ahead_end - ahead_start) != 0) return 0;
        if (fill(10) <= 0) break;
    }
    if (ahead_end - ahead_start < len || memcmp(ahead + ahead_start, marker, len) != 0) return 0;
    ahead_start += len;
    return 1;
}

// The next byte for libedit, with paste markers taken out: 1 with a byte, 0 at end of input,
// -1 on an error, -2 when SIGINT arrived.
static int next_byte(unsigned char *byte) {
    for (;;) {
        if (interrupted) {
            interrupted = 0;
            return -2;
        }
        if (ahead_start < ahead_end) {
            if (ahead[ahead_start] == 0x1B) {
                if (take_marker(paste_start)) { in_paste = 1; continue; }
                if (take_marker(paste_end)) { in_paste = 0; continue; }
            }
            *byte = ahead[ahead_start++];
            return 1;
        }
        unsigned char b;
        ssize_t n = read(STDIN_FILENO, &b, 1);
        if (n == 1) {
            ahead[0] = b;
            ahead_start = 0;
            ahead_end = 1;
            continue;
        }
        if (n == -1 && errno == EINTR) continue;
        return (int)n;
    }
}

static int interruptible_getc(EditLine *el, wchar_t *out) {
    (void)el;
    mbstate_t state;
    memset(&state, 0, sizeof state);
    for (;;) {
        unsigned char byte;
        int r = next_byte(&byte);
        if (r == -2) {
            // Ctrl-C pressed while the terminal was still cooked (between prompts) came as SIGINT.
            *out = 3;
            return 1;
        }
        if (r != 1) return r;                       // 0 at end of input, -1 on error
        // Pasted text keeps its tabs as spaces: a tab would ask for completion mid-paste.
        if (in_paste && byte == '\t') byte = ' ';
        wchar_t wc;
        char c = (char)byte;
        size_t m = mbrtowc(&wc, &c, 1, &state);
        if (m == (size_t)-2) continue;              // more bytes of this character to come
        if (m == (size_t)-1) {                      // invalid byte: pass it through as itself
            memset(&state, 0, sizeof state);
            *out = byte;
            return 1;
        }
        *out = wc;
        return 1;
    }
}

int iql_input_waiting_start(void) {
    for (int rounds = 0; rounds < 50; rounds++) {
        while (fill(0) > 0) {}
        // Skip the markers while looking, as libedit will never see them.
        size_t i = ahead_start;
        int pasting = in_paste;
        while (i < ahead_end) {
            size_t left = ahead_end - i;
            if (ahead[i] == 0x1B && left >= 6 && memcmp(ahead + i, paste_start, 6) == 0) { pasting = 1; i += 6; continue; }
            if (ahead[i] == 0x1B && left >= 6 && memcmp(ahead + i, paste_end, 6) == 0) { pasting = 0; i += 6; continue; }
            if (ahead[i] == ' ' || ahead[i] == '\t') { i++; continue; }
            return ahead[i];
        }
        // A paste still arriving: its next line is on the way.
        if (!pasting) return 0;
        if (fill(20) < 0) return 0;
    }
    return 0;
}

void iql_bracketed_paste(int on) { iql_stdout_write(on ? "\033[?2004h" : "\033[?2004l"); }

void iql_el_use_interruptible_reader(EditLine *el) { el_wset(el, EL_GETCFN, interruptible_getc); }

History *iql_history_init(int size) {
    History *h = history_init();
    if (h == NULL) return NULL;
    HistEvent ev;
    history(h, &ev, H_SETSIZE, size);
    history(h, &ev, H_SETUNIQUE, 1);
    return h;
}

int iql_history_load(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_LOAD, path);
}

int iql_history_save(History *h, const char *path) {
    HistEvent ev;
    return history(h, &ev, H_SAVE, path);
}

int iql_history_enter(History *h, const char *line) {
    HistEvent ev;
    return history(h, &ev, H_ENTER, line);
}

int iql_history_count(History *h) {
    HistEvent ev;
    if (history(h, &ev, H_GETSIZE) < 0) return 0;
    return ev.num;
}

const char *iql_history_entry(History *h, int index) {
    HistEvent ev;
    // H_LAST is the oldest entry; H_PREV walks towards newer ones.
    if (history(h, &ev, H_LAST) < 0) return NULL;
    for (int i = 0; i < index; i++) {
        if (history(h, &ev, H_PREV) < 0) return NULL;
    }
    return ev.str;
}

static struct termios saved_tty;
static int have_saved_tty = 0;

void iql_tty_save(void) { have_saved_tty = tcgetattr(STDIN_FILENO, &saved_tty) == 0; }

void iql_tty_restore(void) {
    if (have_saved_tty) tcsetattr(STDIN_FILENO, TCSADRAIN, &saved_tty);
}

static void on_sigint(int signo) {
    (void)signo;
    interrupted = 1;
}

void iql_sigint_install(void) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_sigint;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    // A parent may have blocked SIGINT (and the mask survives exec): unblock it.
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int iql_sigint_take(void) {
    if (!interrupted) return 0;
    interrupted = 0;
    return 1;
}

void iql_stdout_write(const char *text) {
    fputs(text, stdout);
    fflush(stdout);
}

int iql_terminal_columns(int fd) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
    return ws.ws_col;
}

int iql_terminal_rows(int fd) {
    struct winsize ws;
    if (ioctl(fd, TIOCGWINSZ, &ws) != 0) return 0;
    return ws.ws_row;
}
