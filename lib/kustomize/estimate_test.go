package kustomize

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// diamond returns a catalog of depth levels above two bases of one
// resource each: each level has two kustomizations a and b, each including
// both of the level below under a namePrefix of its own, so the top builds
// 2^depth resources from 2·depth+2 small folders.
func diamond(depth int) map[string]string {
	files := map[string]string{
		"l0/a/kustomization.yaml": "resources:\n- cm.yaml\n",
		"l0/a/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n",
		"l0/b/kustomization.yaml": "resources:\n- cm.yaml\n",
		"l0/b/cm.yaml":            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: b\n",
	}
	below := []string{"../../l0/a", "../../l0/b"}
	for i := 1; i <= depth; i++ {
		for _, side := range []string{"a", "b"} {
			var res strings.Builder
			for _, b := range below {
				fmt.Fprintf(&res, "- %s\n", b)
			}
			files[fmt.Sprintf("l%d/%s/kustomization.yaml", i, side)] = fmt.Sprintf("namePrefix: %s%d-\nresources:\n%s", side, i, res.String())
		}
		below = []string{fmt.Sprintf("../../l%d/a", i), fmt.Sprintf("../../l%d/b", i)}
	}
	return files
}

func TestEstimateResources(t *testing.T) {
	tests := []struct {
		name  string
		files map[string]string
		dir   string
		want  int64
	}{
		{name: "base", files: baseFiles(), dir: "base", want: 1 + 2},
		// 2^d resources, 2^(d+1)-2 kustomizations below the top one.
		{name: "diamond of depth 3", files: diamond(3), dir: "l3/a", want: 8 + 15},
		{name: "diamond of depth 30", files: diamond(30), dir: "l30/a", want: 1<<30 + 1<<31 - 1},
		{name: "diamond of depth 70 saturates", files: diamond(70), dir: "l70/a", want: 1<<63 - 1},
		{name: "files, generators and plugin folders", dir: "o", want: 1 + 2 + (1 + 1) + 2 + (1 + 1), files: map[string]string{
			"o/kustomization.yaml": "resources:\n- two.yaml\n- missing.yaml\n- https://example.com/x\ncomponents:\n- ../c\n" +
				"configMapGenerator:\n- name: a\n- name: b\ntransformers:\n- ../t\n- t.yaml\n",
			"o/two.yaml":           "a: 1\n---\nb: 2\n",
			"o/t.yaml":             "x: 1\n",
			"c/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources:\n- r.yaml\n",
			"c/r.yaml":             "a: 1\n",
			"t/kustomization.yaml": "resources:\n- r.yaml\n",
			"t/r.yaml":             "a: 1\n",
		}},
		{name: "cycle counts once", dir: "a", want: 1 + 1 + 1, files: map[string]string{
			"a/kustomization.yaml": "resources:\n- ../b\n",
			"b/kustomization.yaml": "resources:\n- ../a\n- r.yaml\n",
			"b/r.yaml":             "a: 1\n",
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := NewBuilder(NewTreeFromMap(tt.files)).EstimateResources(tt.dir); got != tt.want {
				t.Errorf("EstimateResources(%s) = %d, want %d", tt.dir, got, tt.want)
			}
		})
	}
}

func TestBuildRefusesWhatWouldExplode(t *testing.T) {
	b := NewBuilder(NewTreeFromMap(diamond(30)))
	res := b.Build("l30/a")
	if res.Err == nil {
		t.Fatalf("built %d resources", len(res.Resources))
	}
	want := "not built: l30/a/kustomization.yaml would load about 3221225471 kustomizations and resources (counted along every path through its bases), more than the limit of " + strconv.Itoa(MaxBuildSize)
	if res.Err.Cause != CauseTooLarge || res.Err.Pos.File != "l30/a/kustomization.yaml" || !strings.Contains(res.Err.Message, want) {
		t.Errorf("got %+v\nwant a build too large at l30/a/kustomization.yaml: %s", res.Err, want)
	}
	// Below the limit the same graph builds.
	if res := b.Build("l4/b"); res.Err != nil || len(res.Resources) != 16 {
		t.Errorf("l4/b: %d resources, %v; want 16", len(res.Resources), res.Err)
	}
}

// BenchmarkDiamondBuild times builds of diamonds near the limit, to keep
// MaxBuildSize below what builds in seconds:
//
//	OPCAT_BENCH_DIAMOND=1 go test ./lib/kustomize -run='^$' -bench=DiamondBuild -benchtime=1x
func BenchmarkDiamondBuild(b *testing.B) {
	if os.Getenv("OPCAT_BENCH_DIAMOND") != "1" {
		b.Skip("set OPCAT_BENCH_DIAMOND=1 to build diamonds of up to 2048 resources")
	}
	for depth := 8; depth <= 11; depth++ {
		b.Run(fmt.Sprintf("depth=%d", depth), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				bl := NewBuilder(NewTreeFromMap(diamond(depth)))
				bl.NoReuse = true
				start := time.Now()
				res := bl.Build(fmt.Sprintf("l%d/a", depth))
				if res.Err != nil || len(res.Resources) != 1<<depth {
					b.Fatalf("%d resources, %v", len(res.Resources), res.Err)
				}
				b.Logf("%d resources, estimate %d, in %v", 1<<depth, bl.EstimateResources(fmt.Sprintf("l%d/a", depth)), time.Since(start))
			}
		})
	}
}
