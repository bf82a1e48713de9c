//go:build darwin || dragonfly || freebsd || linux || netbsd || openbsd

package generator

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

const lockIsKernel = true

// rootLock is a held lock on a catalog root.
type rootLock struct {
	f    *os.File
	name string
}

// acquireLock takes the catalog's lock (flock on LockFile in root),
// waiting up to wait for another run to release it.
func acquireLock(root string, wait time.Duration) (*rootLock, error) {
	name := filepath.Join(root, LockFile)
	deadline := time.Now().Add(wait)
	for {
		f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("unable to lock the catalog: %w", err)
		}
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		switch {
		case err == nil && sameFile(f, name):
			if err := writeLock(f); err != nil {
				f.Close()
				return nil, fmt.Errorf("unable to lock the catalog: %s: %w", name, err)
			}
			return &rootLock{f: f, name: name}, nil
		case err == nil:
			// The holder removed the file after we opened it: try again.
			f.Close()
			continue
		case !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EAGAIN) && !errors.Is(err, syscall.EINTR):
			f.Close()
			return nil, fmt.Errorf("unable to lock the catalog: %s: %w", name, err)
		}
		f.Close()
		if time.Now().After(deadline) {
			return nil, &LockedError{File: name, PID: readLockPID(name)}
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// release removes the lock file, then unlocks it: a run waiting on the old
// file finds it gone and opens a new one.
func (l *rootLock) release() error {
	rerr := os.Remove(l.name)
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	cerr := l.f.Close()
	if rerr != nil && !errors.Is(rerr, os.ErrNotExist) {
		return fmt.Errorf("unable to remove the lock %s: %w", l.name, rerr)
	}
	return cerr
}
