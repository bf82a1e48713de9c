package argocd

import "testing"

// BenchmarkLoadCRDs measures what the first Argo CD object of a run costs:
// parsing both embedded CRDs.
func BenchmarkLoadCRDs(b *testing.B) {
	for b.Loop() {
		if _, err := loadCRD("crds/argocd-application-crd.yaml"); err != nil {
			b.Fatal(err)
		}
		if _, err := loadCRD("crds/argocd-applicationset-crd.yaml"); err != nil {
			b.Fatal(err)
		}
	}
}
