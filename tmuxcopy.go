package main

import "github.com/b24org/b24org/lang"

// tmuxCopyNote is what a copy in the browser adds inside tmux (tmux sets
// $TMUX), in the language l: tmux drops an application's OSC52 unless
// set-clipboard is on, and the program cannot tell.
func tmuxCopyNote(l *lang.Language, tmux string) string {
	if tmux == "" {
		return ""
	}
	return l.T("copy.tmux")
}
