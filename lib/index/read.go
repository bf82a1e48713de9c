package index

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"

	yaml "go.yaml.in/yaml/v3"
)

// lazy holds a value whose decoding is deferred: raw JSON or a YAML node.
type lazy struct {
	raw  json.RawMessage
	node *yaml.Node
}

// UnmarshalJSON keeps a copy of the raw value.
func (l *lazy) UnmarshalJSON(b []byte) error {
	l.raw = append(json.RawMessage(nil), b...)
	return nil
}

// UnmarshalYAML keeps the node.
func (l *lazy) UnmarshalYAML(n *yaml.Node) error {
	l.node = n
	return nil
}

func (l *lazy) decode(v any) error {
	switch {
	case l == nil:
		return nil
	case l.node != nil:
		return l.node.Decode(v)
	case l.raw != nil:
		return json.Unmarshal(l.raw, v)
	}
	return nil
}

// str returns a scalar as a string: any YAML scalar, a JSON string.
func (l *lazy) str() string {
	switch {
	case l == nil:
		return ""
	case l.node != nil:
		n := l.node
		if n.Kind == yaml.AliasNode && n.Alias != nil {
			n = n.Alias
		}
		if n.Kind == yaml.ScalarNode && n.Tag != "!!null" {
			return n.Value
		}
	case len(l.raw) > 0 && l.raw[0] == '"':
		var s string
		if json.Unmarshal(l.raw, &s) == nil {
			return s
		}
	}
	return ""
}

func (l *lazy) isNull() bool {
	switch {
	case l == nil:
		return true
	case l.node != nil:
		return l.node.Kind == yaml.ScalarNode && l.node.Tag == "!!null"
	}
	return len(l.raw) == 0 || string(l.raw) == "null"
}

func (l *lazy) isScalar() bool {
	switch {
	case l == nil:
		return false
	case l.node != nil:
		return l.node.Kind == yaml.ScalarNode
	}
	return len(l.raw) > 0 && l.raw[0] != '{' && l.raw[0] != '['
}

func (l *lazy) isMapping() bool {
	switch {
	case l == nil:
		return false
	case l.node != nil:
		return l.node.Kind == yaml.MappingNode
	}
	return len(l.raw) > 0 && l.raw[0] == '{'
}

// doc returns the mapping held by l as a document.
func (l *lazy) doc(line int, off int64) (*rawDoc, bool) {
	if !l.isMapping() {
		return nil, false
	}
	d := &rawDoc{nested: true, line: line, off: off}
	if l.node != nil {
		d.fields = yamlFields(l.node)
		d.line = l.node.Line
		return d, true
	}
	if err := json.Unmarshal(l.raw, &d.fields); err != nil {
		return nil, false
	}
	return d, true
}

// rawDoc is one document (or one element of a top-level entries/items
// sequence) with its top-level fields still undecoded.
type rawDoc struct {
	fields map[string]*lazy
	nested bool  // element of a template or List
	line   int   // 1-based line of the document start; 0 if unknown
	off    int64 // JSON byte offset of the document start; -1 for YAML
}

func (d *rawDoc) str(key string) string { return d.fields[key].str() }

// text returns a field that must be a string when present.
func (d *rawDoc) text(key string) (string, error) {
	l := d.fields[key]
	if l == nil || l.isNull() {
		return "", nil
	}
	if s := l.str(); s != "" || l.isScalar() {
		return s, nil
	}
	err := fmt.Errorf("field %s is not a string", key)
	if l.node != nil {
		return "", &posError{line: l.node.Line, off: -1, err: err}
	}
	return "", err
}

func (d *rawDoc) get(key string, v any) error {
	if err := d.fields[key].decode(v); err != nil {
		return fmt.Errorf("field %s: %w", key, err)
	}
	return nil
}

func yamlFields(n *yaml.Node) map[string]*lazy {
	m := make(map[string]*lazy, len(n.Content)/2)
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		if k.Kind == yaml.ScalarNode {
			m[k.Value] = &lazy{node: n.Content[i+1]}
		}
	}
	return m
}

// posError is an error at a position of the file being read.
type posError struct {
	line int   // 0 if unknown
	off  int64 // JSON offset to turn into a line, -1 if none
	err  error
}

func (e *posError) Error() string { return e.err.Error() }
func (e *posError) Unwrap() error { return e.err }

// isStreamKey tells whether the elements of a top-level sequence under key
// are decoded one at a time.
func isStreamKey(k string) bool { return k == "entries" || k == "items" }

// isSubDoc tells whether a sequence element is a document of its own (a
// template entry or a List item) rather than part of its parent (a channel
// entry, a deprecation entry).
func isSubDoc(fields map[string]*lazy) bool {
	return fields["schema"].str() != "" || fields["kind"].str() != ""
}

// readStream decodes the documents of r, JSON or YAML by content, calling
// emit for each. Elements of top-level "entries" and "items" sequences that
// are documents of their own are emitted before their parent.
// With forceYAML set, content that looks like JSON is read as YAML too.
// maxLine bounds a YAML line and a JSON value read at once; < 0: no bound.
func readStream(r io.Reader, forceYAML bool, maxLine int64, emit func(*rawDoc) error) (isJSON bool, err error) {
	br := bufio.NewReaderSize(r, 64<<10)
	if bom, _ := br.Peek(3); bytes.Equal(bom, []byte{0xEF, 0xBB, 0xBF}) {
		_, _ = br.Discard(3)
	}
	first, err := firstByte(br)
	if err != nil {
		if err == io.EOF {
			return false, nil
		}
		return false, err
	}
	if !forceYAML && (first == '{' || first == '[') {
		return true, readJSON(br, maxLine, emit)
	}
	return false, readYAML(br, maxLine, emit)
}

func firstByte(br *bufio.Reader) (byte, error) {
	for n := 1; ; n++ {
		b, err := br.Peek(n)
		if err != nil {
			return 0, err
		}
		c := b[n-1]
		if c == ' ' || c == '\t' || c == '\r' || c == '\n' {
			if n >= 4096 {
				return c, nil
			}
			continue
		}
		return c, nil
	}
}

// ---- JSON ----

// valueWindow passes bytes to a JSON decoder and fails once the decoder
// holds more than max bytes past the start of the value being read.
type valueWindow struct {
	r    io.Reader
	dec  *json.Decoder
	n    int64 // bytes passed on
	mark int64 // offset of the value being read
	max  int64
}

func (w *valueWindow) Read(p []byte) (int, error) {
	if w.max >= 0 {
		left := w.mark + w.max + 1 - w.n
		if left <= 0 {
			return 0, &limitError{msg: fmt.Sprintf("a single JSON value is longer than %d bytes, the line limit", w.max)}
		}
		if int64(len(p)) > left {
			p = p[:left]
		}
	}
	k, err := w.r.Read(p)
	w.n += int64(k)
	return k, err
}

// start marks the start of the next value and returns its offset.
func (w *valueWindow) start() int64 {
	w.mark = w.dec.InputOffset()
	return w.mark
}

func readJSON(r io.Reader, maxLine int64, emit func(*rawDoc) error) error {
	w := &valueWindow{r: r, max: maxLine}
	dec := json.NewDecoder(w)
	w.dec = dec
	dec.UseNumber()
	for {
		off := w.start()
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return jsonErr(err, off)
		}
		switch tok {
		case json.Delim('{'):
			d, err := readJSONObject(w, off, emit)
			if err != nil {
				return err
			}
			if err := emit(d); err != nil {
				return err
			}
		case json.Delim('['):
			for dec.More() {
				eoff := w.start()
				var l lazy
				if err := dec.Decode(&l); err != nil {
					return jsonErr(err, eoff)
				}
				if d, ok := l.doc(0, eoff); ok {
					d.nested = false
					if err := emit(d); err != nil {
						return err
					}
				}
			}
			if _, err := dec.Token(); err != nil {
				return jsonErr(err, dec.InputOffset())
			}
		default:
			// A top-level scalar is not an index document.
		}
	}
}

func readJSONObject(w *valueWindow, off int64, emit func(*rawDoc) error) (*rawDoc, error) {
	dec := w.dec
	d := &rawDoc{fields: map[string]*lazy{}, off: off}
	for dec.More() {
		koff := w.start()
		tok, err := dec.Token()
		if err != nil {
			return nil, jsonErr(err, koff)
		}
		key, _ := tok.(string)
		voff := dec.InputOffset()
		if !isStreamKey(key) {
			var l lazy
			if err := dec.Decode(&l); err != nil {
				return nil, jsonErr(err, voff)
			}
			d.fields[key] = &l
			continue
		}
		tok, err = dec.Token()
		if err != nil {
			return nil, jsonErr(err, voff)
		}
		if tok != json.Delim('[') {
			raw, err := captureJSON(dec, tok)
			if err != nil {
				return nil, jsonErr(err, voff)
			}
			d.fields[key] = &lazy{raw: raw}
			continue
		}
		var kept bytes.Buffer
		kept.WriteByte('[')
		for dec.More() {
			eoff := w.start()
			var l lazy
			if err := dec.Decode(&l); err != nil {
				return nil, jsonErr(err, eoff)
			}
			if sub, ok := l.doc(0, eoff); ok && isSubDoc(sub.fields) {
				if err := emit(sub); err != nil {
					return nil, err
				}
				continue
			}
			if kept.Len() > 1 {
				kept.WriteByte(',')
			}
			kept.Write(l.raw)
		}
		if _, err := dec.Token(); err != nil { // ]
			return nil, jsonErr(err, dec.InputOffset())
		}
		kept.WriteByte(']')
		d.fields[key] = &lazy{raw: kept.Bytes()}
	}
	if _, err := dec.Token(); err != nil { // }
		return nil, jsonErr(err, dec.InputOffset())
	}
	return d, nil
}

// captureJSON re-encodes the value that starts with tok.
func captureJSON(dec *json.Decoder, tok json.Token) (json.RawMessage, error) {
	var buf bytes.Buffer
	var walk func(tok json.Token, depth int) error
	walk = func(tok json.Token, depth int) error {
		if depth > 10000 {
			return errors.New("nesting too deep")
		}
		switch t := tok.(type) {
		case json.Delim:
			closing := byte('}')
			if t == '[' {
				closing = ']'
			}
			buf.WriteByte(byte(t))
			for i := 0; dec.More(); i++ {
				if i > 0 {
					buf.WriteByte(',')
				}
				next, err := dec.Token()
				if err != nil {
					return err
				}
				if t == '{' {
					k, _ := json.Marshal(next)
					buf.Write(k)
					buf.WriteByte(':')
					if next, err = dec.Token(); err != nil {
						return err
					}
				}
				if err := walk(next, depth+1); err != nil {
					return err
				}
			}
			if _, err := dec.Token(); err != nil {
				return err
			}
			buf.WriteByte(closing)
		case json.Number:
			buf.WriteString(string(t))
		default:
			b, err := json.Marshal(t)
			if err != nil {
				return err
			}
			buf.Write(b)
		}
		return nil
	}
	if err := walk(tok, 0); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func jsonErr(err error, off int64) error {
	if err == io.EOF {
		err = io.ErrUnexpectedEOF
	}
	var se *json.SyntaxError
	if errors.As(err, &se) {
		off = se.Offset
	}
	return &posError{off: off, err: err}
}

// ---- YAML ----

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// yamlSplitter cuts a YAML stream into documents and the elements of their
// top-level "entries"/"items" block sequences, so that each piece is parsed
// on its own. YAML forbids document markers inside content and requires the
// content of a sequence element to be indented deeper than its dash, which
// makes the cut safe on lines alone.
type yamlSplitter struct {
	emit   func(*rawDoc) error
	lineNo int   // lines read so far
	maxDoc int64 // bound on a document or streamed element, < 0: none

	rem      []byte // the document without the streamed sequences
	remLines int
	segs     []lineSeg // maps lines of rem to lines of the file
	content  bool      // rem has more than blanks and comments

	await     string // key whose block sequence may start on the next line
	seqKey    string
	seqIndent int // -1 when not inside a streamed sequence
	item      []byte
	itemLine  int
	kept      map[string][]*yaml.Node
}

// lineSeg says that lines of rem from line from on are file lines rem+delta.
type lineSeg struct{ from, delta int }

func readYAML(r *bufio.Reader, maxLine int64, emit func(*rawDoc) error) error {
	s := &yamlSplitter{emit: emit, seqIndent: -1, maxDoc: maxLine}
	var line []byte
	for {
		var err error
		line, err = readLine(r, line[:0], maxLine)
		if errors.Is(err, errLongLine) {
			return &posError{line: s.lineNo + 1, off: -1, err: &limitError{msg: fmt.Sprintf("line is longer than %d bytes, the line limit", maxLine)}}
		}
		if len(line) > 0 {
			s.lineNo++
			if perr := s.feed(line); perr != nil {
				return perr
			}
			if s.maxDoc >= 0 && int64(max(len(s.rem), len(s.item))) > s.maxDoc {
				return &posError{line: s.lineNo, off: -1, err: &limitError{msg: fmt.Sprintf("a single YAML document or entry is longer than %d bytes, the line limit", s.maxDoc)}}
			}
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
	}
	return s.endDoc()
}

var errLongLine = errors.New("line too long")

// readLine appends the next line of r, with its newline, to buf; a line
// longer than max bytes (max >= 0) is errLongLine.
func readLine(r *bufio.Reader, buf []byte, max int64) ([]byte, error) {
	for {
		chunk, err := r.ReadSlice('\n')
		if max >= 0 && int64(len(buf)+len(chunk)) > max+1 {
			return buf, errLongLine
		}
		buf = append(buf, chunk...)
		if err != bufio.ErrBufferFull {
			return buf, err
		}
	}
}

func indentOf(line []byte) int {
	n := 0
	for n < len(line) && line[n] == ' ' {
		n++
	}
	return n
}

// blankOrComment tells whether the line carries no content.
func blankOrComment(line []byte) bool {
	t := bytes.TrimLeft(line, " \t")
	return len(t) == 0 || t[0] == '\n' || t[0] == '\r' || t[0] == '#'
}

// isDash tells whether b starts a block sequence element.
func isDash(b []byte) bool {
	return len(b) > 0 && b[0] == '-' && (len(b) == 1 || b[1] == ' ' || b[1] == '\n' || b[1] == '\r' || b[1] == '\t')
}

func isMarker(line []byte, m string) bool {
	if !bytes.HasPrefix(line, []byte(m)) {
		return false
	}
	rest := line[len(m):]
	return len(rest) == 0 || rest[0] == ' ' || rest[0] == '\t' || rest[0] == '\n' || rest[0] == '\r'
}

var streamKeyRE = regexp.MustCompile(`^(entries|items):[ \t]*(#.*)?\r?\n?$`)

func (s *yamlSplitter) feed(line []byte) error {
	if isMarker(line, "---") || isMarker(line, "...") {
		if err := s.endDoc(); err != nil {
			return err
		}
		if isMarker(line, "---") && !blankOrComment(line[3:]) {
			s.appendRem(line)
		}
		return nil
	}
	if s.seqIndent >= 0 {
		ind := indentOf(line)
		switch {
		case blankOrComment(line):
			if len(s.item) > 0 {
				s.appendItem(line)
			}
			return nil
		case ind > s.seqIndent:
			s.appendItem(line)
			return nil
		case ind == s.seqIndent && isDash(line[ind:]):
			if err := s.flushItem(); err != nil {
				return err
			}
			s.itemLine = s.lineNo
			s.appendItem(line)
			return nil
		}
		if err := s.flushItem(); err != nil {
			return err
		}
		s.seqIndent = -1
	} else if s.await != "" {
		if blankOrComment(line) {
			return nil
		}
		if ind := indentOf(line); isDash(line[ind:]) {
			s.seqKey, s.seqIndent, s.await = s.await, ind, ""
			s.itemLine = s.lineNo
			s.appendItem(line)
			return nil
		}
		s.await = ""
	}
	if len(line) > 0 && line[0] == '%' && !s.content {
		return nil // a directive
	}
	s.appendRem(line)
	if m := streamKeyRE.FindSubmatch(line); m != nil {
		s.await = string(m[1])
	}
	return nil
}

func (s *yamlSplitter) appendRem(line []byte) {
	if !s.content && blankOrComment(line) {
		return // nothing yet: the line carries nothing either
	}
	s.remLines++
	delta := s.lineNo - s.remLines
	if len(s.segs) == 0 || s.segs[len(s.segs)-1].delta != delta {
		s.segs = append(s.segs, lineSeg{from: s.remLines, delta: delta})
	}
	s.rem = append(s.rem, line...)
	if !blankOrComment(line) {
		s.content = true
	}
}

func (s *yamlSplitter) appendItem(line []byte) {
	n := min(indentOf(line), s.seqIndent)
	s.item = append(s.item, line[n:]...)
}

// remLine maps a line of rem to a line of the file.
func (s *yamlSplitter) remLine(l int) int {
	delta := 0
	for _, sg := range s.segs {
		if sg.from > l {
			break
		}
		delta = sg.delta
	}
	return l + delta
}

func (s *yamlSplitter) flushItem() error {
	if len(s.item) == 0 {
		return nil
	}
	text := s.item
	s.item = s.item[:0]
	shift := func(l int) int { return l + s.itemLine - 1 }
	var n yaml.Node
	if err := yaml.Unmarshal(text, &n); err != nil {
		return yamlErr(err, shift, s.itemLine)
	}
	if n.Kind != yaml.DocumentNode || len(n.Content) == 0 || n.Content[0].Kind != yaml.SequenceNode || len(n.Content[0].Content) == 0 {
		return nil
	}
	elem := n.Content[0].Content[0]
	fixLines(elem, shift, 0)
	if elem.Kind == yaml.MappingNode {
		f := yamlFields(elem)
		if isSubDoc(f) {
			return s.emit(&rawDoc{fields: f, nested: true, line: elem.Line, off: -1})
		}
	}
	if s.kept == nil {
		s.kept = map[string][]*yaml.Node{}
	}
	s.kept[s.seqKey] = append(s.kept[s.seqKey], elem)
	return nil
}

func (s *yamlSplitter) endDoc() error {
	if err := s.flushItem(); err != nil {
		return err
	}
	defer func() {
		s.rem, s.remLines, s.segs, s.content = s.rem[:0], 0, s.segs[:0], false
		s.await, s.seqKey, s.seqIndent, s.kept = "", "", -1, nil
	}()
	if !s.content && len(s.kept) == 0 {
		return nil
	}
	var n yaml.Node
	if err := yaml.Unmarshal(s.rem, &n); err != nil {
		return yamlErr(err, s.remLine, s.remLine(1))
	}
	if n.Kind != yaml.DocumentNode || len(n.Content) == 0 {
		return nil
	}
	root := n.Content[0]
	fixLines(root, s.remLine, 0)
	if root.Kind != yaml.MappingNode {
		return nil
	}
	d := &rawDoc{fields: yamlFields(root), line: root.Line, off: -1}
	for key, elems := range s.kept {
		d.fields[key] = &lazy{node: &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Content: elems, Line: root.Line}}
	}
	return s.emit(d)
}

// fixLines maps the line numbers of a parsed piece to lines of the file.
func fixLines(n *yaml.Node, f func(int) int, depth int) {
	if n == nil || depth > 10000 {
		return
	}
	if n.Line > 0 {
		n.Line = f(n.Line)
	}
	for _, c := range n.Content {
		fixLines(c, f, depth+1)
	}
}

// yamlErr rewrites the line numbers of a YAML error to lines of the file.
func yamlErr(err error, f func(int) int, fallback int) error {
	line := fallback
	first := true
	msg := yamlLineRE.ReplaceAllStringFunc(err.Error(), func(m string) string {
		n, convErr := strconv.Atoi(m[len("line "):])
		if convErr != nil {
			return m
		}
		n = f(n)
		if first {
			line, first = n, false
		}
		return "line " + strconv.Itoa(n)
	})
	return &posError{line: line, off: -1, err: errors.New(msg)}
}
