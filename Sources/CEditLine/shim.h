#ifndef KENSHO_CEDITLINE_SHIM_H
#define KENSHO_CEDITLINE_SHIM_H

/* libedit's readline compatibility layer. <stdio.h> first: readline.h uses FILE.
   <editline/readline.h>, never <readline/readline.h>, which may be GNU readline. */
#include <stdio.h>
#include <stdlib.h>
#include <locale.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <malloc.h>
#include <editline/readline.h>

/* Setters and getters for libedit's mutable globals: Swift 6 refuses to touch a
   mutable C global directly (it cannot prove the access is concurrency-safe). */
static inline void ce_install_completer(rl_completion_func_t *function) { rl_attempted_completion_function = function; }
static inline void ce_set_readline_name(const char *name) { rl_readline_name = name; }
static inline void ce_completion_over(void) { rl_attempted_completion_over = 1; }
static inline void ce_set_word_breaks(const char *characters) { rl_basic_word_break_characters = characters; rl_completer_word_break_characters = (char *)characters; }
static inline void ce_set_append_character(int character) { rl_completion_append_character = character; }
static inline const char *ce_line_buffer(void) { return rl_line_buffer; }
static inline int ce_point(void) { return rl_point; }
static inline void ce_flush_stdout(void) { fflush(stdout); }
static inline void ce_flush_stderr(void) { fflush(stderr); }

/* The terminal's width in columns, or 0 when it cannot be told. */
static inline int ce_terminal_width(int fd) {
    struct winsize size;
    if (ioctl(fd, TIOCGWINSZ, &size) == 0) return size.ws_col;
    return 0;
}

/* Installs a SIGINT handler without SA_RESTART, so a blocked read returns and the
   REPL can tell Ctrl-C from end of input. */
static inline int ce_install_interrupt_handler(void (*handler)(int)) {
    struct sigaction action;
    action.sa_handler = handler;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    /* A parent may have left SIGINT blocked (the mask is inherited across exec). */
    sigset_t interrupt;
    sigemptyset(&interrupt);
    sigaddset(&interrupt, SIGINT);
    sigprocmask(SIG_UNBLOCK, &interrupt, NULL);
    return sigaction(SIGINT, &action, NULL);
}

/* Keeps freed heap memory for reuse instead of returning it to the kernel at once
   (see HeapTuning.swift). glibc only; elsewhere a no-op. */
static inline void ce_keep_freed_heap(int largest_block, int keep) {
#ifdef M_MMAP_THRESHOLD
    mallopt(M_MMAP_THRESHOLD, largest_block);
    mallopt(M_TRIM_THRESHOLD, keep);
#else
    (void)largest_block; (void)keep;
#endif
}

#endif
