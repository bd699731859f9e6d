package datasets

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"math"
	"os"
	"strings"
)

// A data set's fingerprint identifies the files it was read from: a SHA-256
// of their bytes, taken by the readers as they read them (a source hashes
// what passes through it), so identifying the data costs no second pass over
// it. With the sizes in words beside it, a changed data set can be described.

// source is a data file opened for reading, whose bytes are hashed as the
// reader consumes them.
type source struct {
	path string
	f    *os.File
	h    hash.Hash
}

// openSource opens path, which must be a regular file that is not empty.
func openSource(path string) (*source, error) {
	f, err := openRegular(path)
	if err != nil {
		return nil, err
	}
	return newSource(path, f), nil
}

// newSource hashes what is read of f, opened from path.
func newSource(path string, f *os.File) *source {
	return &source{path: path, f: f, h: sha256.New()}
}

func (s *source) Read(p []byte) (int, error) {
	n, err := s.f.Read(p)
	s.h.Write(p[:n])
	return n, err
}

// Seek rewinds the file to its start, for a reader that reads it again from
// the top; the hash restarts with it. Other seeks are refused.
func (s *source) Seek(offset int64, whence int) (int64, error) {
	if offset != 0 || whence != io.SeekStart {
		return 0, fmt.Errorf("%s: a data file is read from its start only", s.path)
	}
	s.h.Reset()
	return s.f.Seek(0, io.SeekStart)
}

func (s *source) Stat() (os.FileInfo, error) { return s.f.Stat() }

func (s *source) Close() error { return s.f.Close() }

// sum returns the SHA-256 of the whole file, once its reader is done: what a
// decoder left unread after the end of its data (image decoders stop at
// their end marker) is read into the hash first, so the digest is the
// file's whatever the decoder consumed.
func (s *source) sum() ([]byte, error) {
	if _, err := io.Copy(s.h, s.f); err != nil {
		return nil, fmt.Errorf("%s: %w", s.path, errorsUnwrapPath(err))
	}
	return s.h.Sum(nil), nil
}

// hashedFrom records the digest of src, the one file that s was read from.
func (s *Set) hashedFrom(src *source) error {
	d, err := src.sum()
	s.digest = d
	return err
}

// digestOf combines the digests of the files of one set, in order, each
// under a name (a file's place in a folder: its order and class matter).
func digestOf(names []string, digests [][]byte) []byte {
	h := sha256.New()
	for i, d := range digests {
		fmt.Fprintf(h, "%q:", names[i])
		h.Write(d)
	}
	return h.Sum(nil)
}

// fingerprint identifies d as read, before any split, limit or scaling: its
// sizes in words (which a message can compare) and a hash of the files of
// its training and test parts, and of the classes read from them.
func (d *Data) fingerprint() string {
	h := sha256.New()
	fmt.Fprintf(h, "%v %q|", d.Train.shape, d.Train.Classes)
	h.Write(d.Train.digest)
	test := 0
	if d.Test != nil {
		test = d.Test.Len()
		fmt.Fprintf(h, "|%q|", d.Test.Classes)
		h.Write(d.Test.digest)
	}
	return fmt.Sprintf("%d+%d samples of %v, sha256 %s", d.Train.Len(), test, d.Train.shape, hex.EncodeToString(h.Sum(nil)[:12]))
}

// CheckFingerprint reports whether d is the data whose Fingerprint was
// recorded as want, and if not, what differs: the number or shape of the
// samples, or, with the same sizes, their content. A fingerprint recorded by
// an earlier version of this package (a bare hash of the decoded samples) is
// checked the way it was made, which images allow; a table's values are
// scaled in place once read, so such a fingerprint of a table cannot be
// checked, and that is the error.
func (d *Data) CheckFingerprint(want string) error {
	if want == d.Fingerprint {
		return nil
	}
	if !strings.Contains(want, " sha256 ") { // before fingerprints were taken while reading
		if d.Train.table != nil {
			return fmt.Errorf("its data fingerprint %s is of an earlier format, which a table cannot be checked against: start a new run on it", want)
		}
		if got := d.decodedFingerprint(); got != want {
			return fmt.Errorf("the samples differ (fingerprint %s, now %s)", want, got)
		}
		return nil
	}
	wantSizes, _, _ := strings.Cut(want, ", sha256 ")
	gotSizes, _, _ := strings.Cut(d.Fingerprint, ", sha256 ")
	if wantSizes != gotSizes {
		return fmt.Errorf("it held %s, it now holds %s", wantSizes, gotSizes)
	}
	return fmt.Errorf("the same number of samples (%s), but other content (%s, now %s)", gotSizes, want, d.Fingerprint)
}

// decodedFingerprint is how this package fingerprinted data before it hashed
// the files while reading them: a hash of the decoded samples of both
// parts, a second pass over them, kept to check runs recorded then.
func (d *Data) decodedFingerprint() string {
	h := sha256.New()
	for _, s := range []*Set{d.Train, d.Test} {
		if s == nil {
			continue
		}
		fmt.Fprintf(h, "%v %d %q|", s.shape, s.n, s.Classes)
		var buf [4]byte
		for i := range s.n {
			j := s.at(i)
			if s.table != nil {
				for _, v := range s.table.row(j) {
					binary.LittleEndian.PutUint32(buf[:], math.Float32bits(v))
					h.Write(buf[:])
				}
			} else {
				dim := s.Dim()
				h.Write(s.pixels[j*dim : (j+1)*dim])
			}
			if s.Labels != nil {
				binary.LittleEndian.PutUint32(buf[:], uint32(s.Labels[i]))
				h.Write(buf[:])
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:12])
}
