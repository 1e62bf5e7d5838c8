package serve

import (
	"bufio"
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/b24org/b24org/lang"
	gossh "golang.org/x/crypto/ssh"
)

// maxKeyFileSize bounds the key files serve reads.
const maxKeyFileSize = 1 << 20

// readKeyFile reads a key file of at most maxKeyFileSize bytes.
func readKeyFile(path string) ([]byte, fs.FileInfo, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, nil, lang.NewError("cmd.key.notregular", "Path", path)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, nil, err
	}
	if len(data) > maxKeyFileSize {
		return nil, nil, lang.NewError("cmd.key.toolarge", "Path", path)
	}
	return data, st, nil
}

// loadHostKey reads the server's private key at path, first creating an
// ed25519 key there (mode 0600, its directory 0700) when there is none.
// A key others may read is refused, as sshd does.
func loadHostKey(path string) (gossh.Signer, bool, error) {
	created := false
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		if err := createHostKey(path); err != nil {
			return nil, false, lang.NewError("cmd.hostkey.create", "Err", err)
		}
		created = true
	}
	data, st, err := readKeyFile(path)
	if err != nil {
		return nil, false, lang.NewError("cmd.hostkey.read", "Err", err)
	}
	if st.Mode().Perm()&0o077 != 0 {
		return nil, false, lang.NewError("cmd.hostkey.open", "Path", path)
	}
	signer, err := gossh.ParsePrivateKey(data)
	var pass *gossh.PassphraseMissingError
	if errors.As(err, &pass) {
		return nil, false, lang.NewError("cmd.hostkey.passphrase", "Path", path)
	}
	if err != nil {
		return nil, false, lang.NewError("cmd.hostkey.bad", "Path", path, "Err", err)
	}
	return signer, created, nil
}

// createHostKey writes a new ed25519 private key in OpenSSH format to path.
func createHostKey(path string) error {
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	block, err := gossh.MarshalPrivateKey(priv, "b24org host key")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if err := pem.Encode(f, block); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

// fingerprint is a key's SHA256 fingerprint as OpenSSH prints it, or "-".
func fingerprint(key gossh.PublicKey) string {
	if key == nil {
		return "-"
	}
	return gossh.FingerprintSHA256(key)
}

// harmlessKeyOption reports whether an authorized_keys option only forbids
// what serve refuses anyway. A key with any other option (from=, command=,
// no-pty, cert-authority...) would grant more than its line says, so such a
// key is ignored.
func harmlessKeyOption(name string) bool {
	switch name {
	case "restrict", "no-port-forwarding", "no-agent-forwarding", "no-x11-forwarding", "no-user-rc":
		return true
	}
	return false
}

// authorizedKeys is an authorized_keys file, read again when it changes.
// Safe for concurrent use.
type authorizedKeys struct {
	path string
	log  *slog.Logger

	mu    sync.Mutex
	stamp fileStamp
	keys  map[string]bool // key.Marshal() as a string
}

// fileStamp tells one version of a file from another.
type fileStamp struct {
	mod  time.Time
	size int64
}

// newAuthorizedKeys reads the file at path; a missing file, or one without a
// usable key, is an error: serve denies by default.
func newAuthorizedKeys(path string, log *slog.Logger) (*authorizedKeys, error) {
	k := &authorizedKeys{path: path, log: log}
	if err := k.reload(); err != nil {
		return nil, lang.NewError("cmd.authkeys.read", "Err", err)
	}
	if len(k.keys) == 0 {
		return nil, lang.NewError("cmd.authkeys.empty", "Path", path)
	}
	return k, nil
}

// count returns the number of keys.
func (k *authorizedKeys) count() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.keys)
}

// allowed reports whether key is in the file, reading it again first if it
// has changed. A file that cannot be read allows no one.
func (k *authorizedKeys) allowed(key gossh.PublicKey) bool {
	k.mu.Lock()
	defer k.mu.Unlock()
	st, err := os.Stat(k.path)
	if err != nil || st.ModTime() != k.stamp.mod || st.Size() != k.stamp.size {
		if err := k.reloadLocked(); err != nil {
			k.log.Error("authorized keys: no one may log in", "err", err)
		}
	}
	return k.keys[string(key.Marshal())]
}

func (k *authorizedKeys) reload() error {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.reloadLocked()
}

// reloadLocked reads the file; on error no key is allowed until it changes.
func (k *authorizedKeys) reloadLocked() error {
	data, st, err := readKeyFile(k.path)
	if err != nil {
		k.keys, k.stamp = nil, fileStamp{}
		return err
	}
	keys, problems := parseAuthorizedKeys(data)
	for _, p := range problems {
		k.log.Warn("authorized keys: line ignored", "path", k.path, "problem", p)
	}
	if k.stamp != (fileStamp{}) {
		k.log.Info("authorized keys read again", "path", k.path, "keys", len(keys))
	}
	k.keys, k.stamp = keys, fileStamp{mod: st.ModTime(), size: st.Size()}
	return nil
}

// parseAuthorizedKeys reads authorized_keys lines: blank lines and comments
// are skipped; a line that does not parse or has an option serve cannot
// honour is reported (by number, never by content) and ignored.
func parseAuthorizedKeys(data []byte) (map[string]bool, []string) {
	keys := map[string]bool{}
	var problems []string
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 16<<10), maxKeyFileSize)
	for n := 1; sc.Scan(); n++ {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 || line[0] == '#' {
			continue
		}
		key, _, options, _, err := gossh.ParseAuthorizedKey(line)
		if err != nil {
			problems = append(problems, fmt.Sprintf("line %d: not a public key", n))
			continue
		}
		if bad := unsupportedOption(options); bad != "" {
			problems = append(problems, fmt.Sprintf("line %d: option %s is not supported", n, bad))
			continue
		}
		keys[string(key.Marshal())] = true
	}
	return keys, problems
}

// unsupportedOption returns the name of the first option that is not
// harmless, quoted, or "".
func unsupportedOption(options []string) string {
	for _, o := range options {
		name, _, _ := strings.Cut(o, "=")
		if name = strings.ToLower(strings.TrimSpace(name)); !harmlessKeyOption(name) {
			return fmt.Sprintf("%.40q", name)
		}
	}
	return ""
}
