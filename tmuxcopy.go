package main

// tmuxCopyNote is what a copy in the browser adds inside tmux (tmux sets
// $TMUX): tmux drops an application's OSC52 unless set-clipboard is on,
// and the program cannot tell.
func tmuxCopyNote(tmux string) string {
	if tmux == "" {
		return ""
	}
	return "tmux passes it on only with: set -g set-clipboard on"
}
