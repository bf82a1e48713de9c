package catalog

// Listing is what `opcat list -o json` prints: every operator with the
// values of its rendered overlays.
type Listing struct {
	Operators []OperatorSummary `json:"operators" yaml:"operators"`
}

// OperatorSummary describes one operator. Its values are those of the
// default overlay as rendered, or of the base when there is no default.
type OperatorSummary struct {
	Name                string           `json:"name" yaml:"name"`
	Path                string           `json:"path" yaml:"path"`
	Package             string           `json:"package" yaml:"package"`
	Namespace           string           `json:"namespace" yaml:"namespace"`
	Source              string           `json:"source" yaml:"source"`
	SourceNamespace     string           `json:"sourceNamespace" yaml:"sourceNamespace"`
	InstallPlanApproval string           `json:"installPlanApproval" yaml:"installPlanApproval"`
	DefaultOverlay      string           `json:"defaultOverlay" yaml:"defaultOverlay"`
	Overlays            []OverlaySummary `json:"overlays" yaml:"overlays"`
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
			Overlays:            []OverlaySummary{},
		}
		for _, ov := range op.Overlays {
			os.Overlays = append(os.Overlays, OverlaySummary{
				Name: ov.Name, Path: ov.Dir,
				Channel: ov.Subscription.Channel.Value, StartingCSV: ov.Subscription.StartingCSV.Value,
			})
		}
		l.Operators = append(l.Operators, os)
	}
	return l
}
