package generator

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// LockFile is the name of the lock file Apply keeps in the catalog root
// while it writes. Two opcat runs that write one catalog take turns: the
// second waits up to LockWait, then fails naming the process that holds the
// lock. The lock lives in the root itself (not in .git: a catalog need not
// be a Git checkout, and every writer knows the root) and is removed when
// the run ends. Where the system has flock(2) the lock is the kernel's and
// ends with the process; elsewhere it is the file's existence (O_EXCL), and
// a file left by a run that was killed must be removed by hand.
const LockFile = ".opcat.lock"

// LockWait is how long Apply waits for another run's lock.
const LockWait = 5 * time.Second

// LockedError is returned by Apply when another run holds the catalog's
// lock for longer than the wait.
type LockedError struct {
	// File is the lock file; PID the process holding it (0 if unknown).
	File string
	PID  int
}

// Error names the lock file and the run that holds it.
func (e *LockedError) Error() string {
	holder := "another opcat run"
	if e.PID > 0 {
		holder = fmt.Sprintf("another opcat run (pid %d)", e.PID)
	}
	msg := fmt.Sprintf("%s is writing this catalog: %s is locked; nothing was written, run the command again when it is done", holder, e.File)
	if !lockIsKernel {
		msg += fmt.Sprintf(" (if no opcat runs, remove %s)", e.File)
	}
	return msg
}

func (p *Plan) lockWait() time.Duration {
	if p.wait > 0 {
		return p.wait
	}
	return LockWait
}

// readLockPID returns the pid written in a lock file, or 0.
func readLockPID(file string) int {
	b, err := os.ReadFile(file)
	if err != nil {
		return 0
	}
	f := strings.Fields(string(b))
	if len(f) >= 2 && f[0] == "pid" {
		if n, err := strconv.Atoi(f[1]); err == nil {
			return n
		}
	}
	return 0
}

func lockContent() []byte { return []byte(fmt.Sprintf("pid %d\n", os.Getpid())) }

// leftover matches the temporary files of Apply: staged new contents
// (".NAME.opcat-new.RANDOM") and kept former contents
// (".NAME.opcat-old.RANDOM"), and those of earlier versions of opcat
// (".NAME.opcat-DIGITS" staged, ".NAME.opcat-deleted" former).
var leftover = regexp.MustCompile(`^\..+\.opcat-(new\.[0-9a-f]{12}|old\.[0-9a-f]{12}|[0-9]+|deleted)$`)

// cleanLeftovers removes the staged files an interrupted run left in the
// catalog (they never hold anything but what that run meant to write), and
// returns a note for each kept former content, which a person may want.
// It runs under the lock, so no other run's files are touched.
func cleanLeftovers(root string) []string {
	var notes []string
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // unreadable folders are reported where they matter
		}
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return nil
		}
		m := leftover.FindStringSubmatch(d.Name())
		if m == nil || !d.Type().IsRegular() {
			return nil
		}
		rel := relSlash(root, p)
		switch {
		case strings.HasPrefix(m[1], "new.") || m[1][0] >= '0' && m[1][0] <= '9':
			if err := os.Remove(p); err != nil {
				notes = append(notes, fmt.Sprintf("unable to remove %s, left by an interrupted opcat run: %v", rel, err))
			} else {
				notes = append(notes, fmt.Sprintf("removed %s, left by an interrupted opcat run", rel))
			}
		default:
			name := strings.TrimPrefix(d.Name(), ".")
			name = name[:strings.LastIndex(name, ".opcat-")]
			notes = append(notes, fmt.Sprintf("%s holds what %s held before an interrupted opcat run; compare the two, then delete it",
				rel, relSlash(root, filepath.Join(filepath.Dir(p), name))))
		}
		return nil
	})
	return notes
}

// sameFile reports whether the open lock file is still the one at name
// (another run may have removed it between our open and our lock).
func sameFile(f *os.File, name string) bool {
	a, err := f.Stat()
	if err != nil {
		return false
	}
	b, err := os.Lstat(name)
	if err != nil {
		return false
	}
	return os.SameFile(a, b)
}

// writeLock records the holder's pid in the lock file.
func writeLock(f *os.File) error {
	if err := f.Truncate(0); err != nil {
		return err
	}
	if _, err := f.WriteAt(lockContent(), 0); err != nil {
		return err
	}
	return nil
}
