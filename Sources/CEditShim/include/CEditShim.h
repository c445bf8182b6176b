// Fixed-arity wrappers for libedit's variadic calls (Swift cannot call C variadics), plus the
// few things that must be done from C: passing stdio's globals, a SIGINT flag, terminal size.
#ifndef CEDITSHIM_H
#define CEDITSHIM_H

#include <histedit.h>

typedef char *(*iql_prompt_fn)(EditLine *);
typedef unsigned char (*iql_key_fn)(EditLine *, int);

EditLine *iql_el_init(const char *program);
void iql_el_set_prompt(EditLine *el, iql_prompt_fn fn);
void iql_el_set_editor(EditLine *el, const char *mode);
void iql_el_set_history(EditLine *el, History *h);
void iql_el_set_clientdata(EditLine *el, void *data);
void *iql_el_get_clientdata(EditLine *el);
void iql_el_add_function(EditLine *el, const char *name, const char *help, iql_key_fn fn);
void iql_el_bind(EditLine *el, const char *key, const char *name);
/// Turns off the tty's signal keys while editing, so Ctrl-C reaches a key binding instead, and
/// keeps the terminal non-canonical between lines too: a Ctrl-D typed while iql prints results
/// is then a key libedit reads, not an end-of-file marker the line discipline drops on the way
/// back to raw mode. Signals stay on between lines, so Ctrl-C still stops a running query.
void iql_el_disable_tty_signals(EditLine *el);
/// Makes libedit read keys through iql's reader: a read interrupted by SIGINT (Ctrl-C pressed
/// while the terminal was not yet in raw mode) becomes a Ctrl-C keystroke instead of being lost.
void iql_el_use_interruptible_reader(EditLine *el);

/// The first byte, other than spaces and tabs, of input already waiting to be read (pasted, or
/// typed ahead), or 0 if none waits; waits a little for the rest of a bracketed paste.
int iql_input_waiting_start(void);
/// Turns the terminal's bracketed paste on (1) or off (0): pasted text then comes between
/// markers, which the reader takes out.
void iql_bracketed_paste(int on);
/// Reads the user's ~/.editrc (or $EDITRC); returns 0 on success.
int iql_el_source_user(EditLine *el);

History *iql_history_init(int size);
int iql_history_load(History *h, const char *path);
int iql_history_save(History *h, const char *path);
int iql_history_enter(History *h, const char *line);
int iql_history_count(History *h);
/// Entry i, oldest first; NULL past the end. Walks from the oldest each time (history is small).
const char *iql_history_entry(History *h, int index);

/// Saves the terminal's settings (standard input) as they were before editing began.
void iql_tty_save(void);
/// Puts back the settings `iql_tty_save` saved, if it saved any.
void iql_tty_restore(void);

/// Installs a SIGINT handler that only records the signal; the REPL polls it to cancel a query.
void iql_sigint_install(void);
/// Returns 1 and clears the flag if SIGINT arrived since the last call.
int iql_sigint_take(void);

/// Writes text to stdout and flushes it (Swift 6 cannot touch stdio's globals).
void iql_stdout_write(const char *text);

/// Terminal width and height of fd, or 0 when fd is not a terminal.
int iql_terminal_columns(int fd);
int iql_terminal_rows(int fd);

#endif
