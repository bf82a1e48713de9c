package cli

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sync/atomic"

	"github.com/opcat-dev/opcat/catalog/lint"
	"github.com/opcat-dev/opcat/lib/diag"
	"github.com/opcat-dev/opcat/lib/kustomize"
)

// validateResult is what validate keeps in the cache of a whole run: the
// findings, the totals and the operators and overlays in scope, as
// lint.Validate reports them. The rules are the same for every run of one
// binary and are not kept.
type validateResult struct {
	Findings diag.Findings `json:"findings"`
	Summary  diag.Summary  `json:"summary"`
	Scope    []diag.Scope  `json:"scope"`
}

// report returns the validate report r holds.
func (r validateResult) report() *diag.Report {
	rep := &diag.Report{Findings: r.Findings, Summary: r.Summary, Scope: r.Scope}
	for _, rule := range lint.Rules() {
		rep.Rules = append(rep.Rules, rule.Info())
	}
	return rep
}

// resultHits counts the runs answered from the cache of whole results
// (for the tests).
var resultHits atomic.Int64

// validateKey is the key of a validate run's result: the digest of the
// whole catalog as read (every file's bytes, every link, every file
// refused), the configuration file's bytes, the PATH and OPERATOR
// arguments, the repository's remote URLs (findings about Argo CD
// sources read them) and the options that change the findings. The cache
// joins the binary's identity to it. Runs with an index never use it.
func (o *validateOptions) validateKey(tree *kustomize.Tree, cfgFile string, args []argPath) string {
	h := sha256.New()
	part := func(s string) {
		fmt.Fprintf(h, "%d:", len(s))
		io.WriteString(h, s)
	}
	part("opcat validate result v1")
	part(tree.Digest())
	part(cfgFile)
	if data, err := os.ReadFile(cfgFile); err != nil {
		part("unreadable: " + err.Error())
	} else {
		part("read")
		part(string(data))
	}
	part(fmt.Sprint("args ", len(args)))
	for _, a := range args {
		part(a.arg)
		part(a.path)
		part(fmt.Sprint(a.exists))
	}
	urls := repoURLs(o.dir)
	part(fmt.Sprint("repo urls ", len(urls)))
	for _, u := range urls {
		part(u)
	}
	part(fmt.Sprint("max file size ", o.maxFileSize))
	return hex.EncodeToString(h.Sum(nil))
}

// cachedResult returns the result stored under key, if any.
func cachedResult(c *kustomize.Cache, key string) (validateResult, bool) {
	body, ok := c.Result(key)
	if !ok {
		return validateResult{}, false
	}
	var r validateResult
	if err := json.Unmarshal(body, &r); err != nil || r.Findings == nil && r.Summary == (diag.Summary{}) {
		return validateResult{}, false
	}
	resultHits.Add(1)
	return r, true
}

// storeResult keeps r under key.
func storeResult(c *kustomize.Cache, key string, r validateResult) {
	body, err := json.Marshal(r)
	if err != nil {
		return
	}
	c.StoreResult(key, body)
}
