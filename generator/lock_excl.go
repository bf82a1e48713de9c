//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package generator

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

const lockIsKernel = false

// rootLock is a held lock on a catalog root.
type rootLock struct {
	f    *os.File
	name string
}

// acquireLock takes the catalog's lock by creating LockFile in root
// exclusively, waiting up to wait for another run to remove it.
func acquireLock(root string, wait time.Duration) (*rootLock, error) {
	name := filepath.Join(root, LockFile)
	deadline := time.Now().Add(wait)
	for {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			if err := writeLock(f); err != nil {
				f.Close()
				os.Remove(name)
				return nil, fmt.Errorf("unable to lock the catalog: %s: %w", name, err)
			}
			return &rootLock{f: f, name: name}, nil
		}
		if !errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("unable to lock the catalog: %w", err)
		}
		if time.Now().After(deadline) {
			return nil, &LockedError{File: name, PID: readLockPID(name)}
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// release closes and removes the lock file.
func (l *rootLock) release() error {
	cerr := l.f.Close()
	if err := os.Remove(l.name); err != nil && !errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("unable to remove the lock %s: %w", l.name, err)
	}
	return cerr
}
