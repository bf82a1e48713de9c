package catalog

// Listing is what `opcat list -o json` prints: every operator with the
// values of its rendered overlays.
type Listing struct {
	Operators []OperatorSummary `json:"operators" yaml:"operators"`
}

// OperatorSummary describes one operator. Its values are those of the
// default overlay as rendered, or of the base when there is no default.
// Package is the package of the base's first Subscription; Packages lists
// the packages of all of them (a base may install several together).
type OperatorSummary struct {
	Name                string           `json:"name" yaml:"name"`
	Path                string           `json:"path" yaml:"path"`
	Package             string           `json:"package" yaml:"package"`
	Packages            []string         `json:"packages" yaml:"packages"`
	Namespace           string           `json:"namespace" yaml:"namespace"`
	Source              string           `json:"source" yaml:"source"`
	SourceNamespace     string           `json:"sourceNamespace" yaml:"sourceNamespace"`
	InstallPlanApproval string           `json:"installPlanApproval" yaml:"installPlanApproval"`
	DefaultOverlay      string           `json:"defaultOverlay" yaml:"defaultOverlay"`
	Overlays            []OverlaySummary `json:"overlays" yaml:"overlays"`
	// Variants are install targets that include a channel overlay without
	// setting a channel of their own (aggregate, instance, example folders).
	Variants []OverlaySummary `json:"variants" yaml:"variants"`
	// Aliases are paths through folder links that reach the operator; Path
	// is the canonical one.
	Aliases []string `json:"aliases,omitempty" yaml:"aliases,omitempty"`
	// OLM is "v1" for an operator installed by a ClusterExtension (Source
	// is then the ClusterCatalog its selector names), empty for a
	// Subscription.
	OLM string `json:"olm,omitempty" yaml:"olm,omitempty"`
}

// OverlaySummary describes one overlay by its rendered values.
type OverlaySummary struct {
	Name        string `json:"name" yaml:"name"`
	Path        string `json:"path" yaml:"path"`
	Channel     string `json:"channel" yaml:"channel"`
	StartingCSV string `json:"startingCSV" yaml:"startingCSV"`
	// Version is a ClusterExtension's version range (OLM v1), whose
	// channels are joined by commas in Channel.
	Version string `json:"version,omitempty" yaml:"version,omitempty"`
}

// List summarises the catalog's operators, sorted by path.
func (c *Catalog) List() Listing {
	l := Listing{Operators: []OperatorSummary{}}
	for _, op := range c.Operators {
		s := op.EffectiveSubscription()
		os := OperatorSummary{
			Name: op.Name, Path: op.Dir,
			Package: s.Package.Value, Namespace: s.Namespace.Value,
			Source: s.Source.Value, SourceNamespace: s.SourceNamespace.Value,
			InstallPlanApproval: s.InstallPlanApproval.Value,
			DefaultOverlay:      op.DefaultOverlay,
			Packages:            op.Packages(),
			Overlays:            summarize(op.Overlays),
			Variants:            summarize(op.Variants),
			Aliases:             op.Aliases,
		}
		l.Operators = append(l.Operators, os)
	}
	return l
}

func summarize(list []*Overlay) []OverlaySummary {
	out := []OverlaySummary{}
	for _, ov := range list {
		out = append(out, OverlaySummary{
			Name: ov.Name, Path: ov.Dir,
			Channel: ov.Subscription.Channel.Value, StartingCSV: ov.Subscription.StartingCSV.Value,
		})
	}
	return out
}
