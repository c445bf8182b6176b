#include "CEditShim.h"

#include <errno.h>
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

static int interruptible_getc(EditLine *el, wchar_t *out) {
    (void)el;
    mbstate_t state;
    memset(&state, 0, sizeof state);
    for (;;) {
        // Ctrl-C pressed while the terminal was still cooked (between prompts) came as SIGINT.
        if (interrupted) {
            interrupted = 0;
            *out = 3;
            return 1;
        }
        char byte;
        ssize_t n = read(STDIN_FILENO, &byte, 1);
        if (n == 1) {
            wchar_t wc;
            size_t r = mbrtowc(&wc, &byte, 1, &state);
            if (r == (size_t)-2) continue;          // more bytes of this character to come
            if (r == (size_t)-1) {                  // invalid byte: pass it through as itself
                memset(&state, 0, sizeof state);
                *out = (unsigned char)byte;
                return 1;
            }
            *out = wc;
            return 1;
        }
        if (n == -1 && errno == EINTR) {
            if (interrupted) {
                interrupted = 0;
                *out = 3;                           // Ctrl-C
                return 1;
            }
            continue;
        }
        return (int)n;                              // 0 at end of input, -1 on error
    }
}

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
