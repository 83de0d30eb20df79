using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using CsCheck;

namespace VersionKit.Generators.Tests.Oracle;

/// <summary>
/// A random history for the differential oracle, as data: the current C# shape of three resources (a box holding things
/// in an envelope, in a nullable property and in an <c>object</c>; a thing holding leaves, a dictionary and a C# enum), and
/// its changes. Every change is made valid where it stands by walking back from the current shape, newest version first,
/// as section 2 of docs/architecture.md reads: a version's code and reads see the shape at that version, its declarations
/// apply change after change. The walk also records what the generated source must say and the field names at every
/// version.
/// </summary>
internal sealed class OracleHistory
{
    public static readonly ApiVersion Initial = ApiVersion.Parse("2000-01-01");

    private OracleHistory(
        Dictionary<Res, IReadOnlyList<Prop>> current,
        bool usePart,
        List<OracleChange> changes,
        List<ApiVersion> versions,
        Dictionary<(Res, ApiVersion), IReadOnlyList<string>> shapes,
        HashSet<(Res, ApiVersion)> wholeCode,
        HashSet<string> walked)
    {
        Current = current;
        UsePart = usePart;
        Changes = changes;
        Versions = versions;
        Shapes = shapes;
        WholeCode = wholeCode;
        Features = walked.Concat(Described()).Where(f => f.Length > 0).ToHashSet();
        Source = OracleSource.Write(this);
    }

    /// <summary>The current C# properties of each resource, after <c>id</c> and <c>object</c>, in declaration order.</summary>
    public IReadOnlyDictionary<Res, IReadOnlyList<Prop>> Current { get; }

    /// <summary>Whether leaves derive from an abstract <c>Part</c> with <c>[JsonDerivedType]</c>, held by a thing's <c>part</c>.</summary>
    public bool UsePart { get; }

    /// <summary>Every change, oldest version first; within a version, by Order.</summary>
    public IReadOnlyList<OracleChange> Changes { get; }

    /// <summary>The initial version and every version a change introduced, oldest first.</summary>
    public IReadOnlyList<ApiVersion> Versions { get; }

    /// <summary>The JSON field names of each resource at each version, as the walk left them.</summary>
    public IReadOnlyDictionary<(Res, ApiVersion), IReadOnlyList<string>> Shapes { get; }

    /// <summary>Where code on a whole resource runs: its field names are then the code's business, not the plan's.</summary>
    public IReadOnlySet<(Res, ApiVersion)> WholeCode { get; }

    public string Source { get; }

    /// <summary>What the history exercises, so that a test can hold the generator to covering every feature.</summary>
    public IReadOnlySet<string> Features { get; }

    /// <summary>Whether a typed computation returns a dictionary, which may hold <c>"object": "thing"</c> and is still no resource.</summary>
    public bool HasTypedDictionary => Changes.SelectMany(c => c.Ops).OfType<Removed>().Any(r => r.Value is FromObject
    {
        Calc: PropOf { Property.Holds: Holds.Metadata } or NestedPropOf { Property.Holds: Holds.Metadata },
    });

    /// <summary>Random histories, built from two arrays of numbers so that CsCheck shrinks them as it shrinks numbers.</summary>
    public static Gen<OracleHistory> Any { get; } =
        from shape in Gen.Int[0, 1000].Array[24]
        from choices in Gen.Int[0, 1000].Array[4, 64]
        select Build(shape, choices);

    private IEnumerable<string> Described()
    {
        if (UsePart)
        {
            yield return "abstract base with [JsonDerivedType]";
        }

        if (Current[Res.Box].Any(p => p.Holds == Holds.Poly))
        {
            yield return "object-typed field";
        }

        if (Current.Values.Any(props => props.Any(p => p.Holds == Holds.Metadata)))
        {
            yield return "dictionary field";
        }

        if (Versions.Any(v => v.ToString().Contains('.', StringComparison.Ordinal)))
        {
            yield return "release names";
        }

        foreach (var version in Versions.Skip(1))
        {
            var changes = Changes.Where(c => c.Version == version).ToList();
            if (changes.Count > 1)
            {
                yield return "several ordered changes in a version";
            }
        }

        if (HasTypedDictionary)
        {
            yield return "typed dictionary value";
        }

        foreach (var change in Changes)
        {
            if (change.SideEffects)
            {
                yield return "side effects";
            }

            foreach (var op in change.Ops)
            {
                yield return op switch
                {
                    Renamed => "rename",
                    Added => "hide",
                    Mapped => "map",
                    Retyped => "type change",
                    Removed { Value: Constant { Value: null } } => "restored null",
                    Removed { Value: Constant } => "restored constant",
                    Removed { Value: FromJson { ValueFromField: null } } => "json computation given a copy of the resource",
                    Removed { Value: FromJson } => "json computation given one field",
                    Removed { Value: FromObject } => "typed computation",
                    Coded { Field: null } => "json code on the whole resource",
                    Coded { Code: Typed } => "typed code on one field",
                    Coded => "json code on one field",
                    _ => throw new InvalidOperationException(op.ToString()),
                };
                yield return op switch
                {
                    Removed { Value: FromJson { Calc: CopyOf } } => "json copy of a field",
                    Removed { Value: FromJson { Calc: NestedOf } } => "json read of a nested resource",
                    Removed { Value: FromJson { Calc: ListOf { Envelope: true } } } => "restored list envelope (json)",
                    Removed { Value: FromJson { Calc: ListOf } } => "restored array of resources (json)",
                    Removed { Value: FromObject { Calc: NestedPropOf } } => "typed read of a nested resource",
                    Removed { Value: FromObject { Calc: ListOfProp { Envelope: true } } } => "restored list envelope (typed)",
                    Removed { Value: FromObject { Calc: ListOfProp } } => "restored array of resources (typed)",
                    Removed { Value: FromObject { Calc: PropOf { Property.Holds: Holds.One or Holds.List or Holds.Envelope or Holds.Poly or Holds.Part } } } => "typed value holding resources",
                    Coded { Code: Keep } => "json code on one field keeps nested resources",
                    Coded { Code: Stringify or Concat, Field: null } => "json code on the whole resource reads a field",
                    Coded { Code: Typed { Kind: TypedKind.OneSame or TypedKind.ListFirst or TypedKind.EnvelopeToList } } => "typed code returns resources",
                    Coded { Code: Typed { Kind: TypedKind.ToneOlder or TypedKind.ToneName } } => "typed code on a C# enum",
                    _ => "",
                };
            }

            foreach (var group in change.Ops.GroupBy(o => o.On))
            {
                var codes = group.OfType<Coded>().ToList();
                if (codes.Count > 1)
                {
                    yield return "two transforms of one resource in one change";
                }

                if (codes.Count > 1 && codes.Where(c => c.Field is not null).GroupBy(c => c.Field).Any(g => g.Count() > 1))
                {
                    yield return "two transforms of one field in one change";
                }

                if (codes.Count > 0 && group.Any(o => o is Renamed or Added or Removed or Mapped))
                {
                    yield return "code and declarations on one resource in one change";
                }

                var removedNested = group.OfType<Removed>().Where(r => r.Value is FromJson { Calc: NestedOf } or FromObject { Calc: NestedPropOf });
                foreach (var moved in removedNested)
                {
                    if (change.Ops.Any(o => o is Added && o.On != group.Key))
                    {
                        yield return moved.Value is FromJson ? "move to the children (json)" : "move to the children (typed)";
                    }
                }
            }
        }
    }

    /// <summary>The changes of <paramref name="version"/>, newest first: by Order, then name, descending.</summary>
    public IEnumerable<OracleChange> NewestFirst(ApiVersion version)
        => Changes.Where(c => c.Version == version).OrderByDescending(c => c.Order).ThenByDescending(c => c.Name, StringComparer.Ordinal);

    /// <summary>Whether code on the whole resource runs for some version newer than <paramref name="target"/>.</summary>
    public bool HasWholeCodeAfter(Res resource, ApiVersion target) => WholeCode.Any(w => w.Item1 == resource && w.Item2 > target);

    public static OracleHistory Build(int[] shape, int[] choices) => new Walker(new Picker(shape), new Picker(choices), choices.Length).Build();

    /// <summary>Reads numbers in turn (0 once they run out of variety), each as a choice among n.</summary>
    private sealed class Picker(int[] numbers)
    {
        private int _next;

        public int Next(int n) => n <= 1 || numbers.Length == 0 ? 0 : numbers[_next++ % numbers.Length] % n;

        public T One<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

        /// <summary>True one time in <paramref name="n"/> (always, once the numbers shrink to 0).</summary>
        public bool OneIn(int n) => Next(n) == 0;
    }

    /// <summary>The fields of one version while its changes are made: the shape at the version and what its changes touch.</summary>
    private sealed class VersionScope(ApiVersion version, Dictionary<Res, List<Slot>> state)
    {
        public ApiVersion Version { get; } = version;

        /// <summary>The slots at the version, before any of its operations: what code and reads see.</summary>
        public Dictionary<Res, List<Slot>> Start { get; } = state.ToDictionary(p => p.Key, p => p.Value.ToList());

        public Dictionary<Slot, string> StartName { get; } = state.Values.SelectMany(s => s).ToDictionary(s => s, s => s.Name);

        /// <summary>What each slot holds at the version, before its code: what reads are given.</summary>
        public Dictionary<Slot, Slot> StartValue { get; } = state.Values.SelectMany(s => s).ToDictionary(s => s, s => new Slot(s.Name, s.Holds, s.Of, s.Property, s.Inside));

        /// <summary>Slots whose value a change of this version maps or transforms, and which change.</summary>
        public Dictionary<Slot, string> ValueTouchedBy { get; } = [];

        /// <summary>
        /// Slots typed code of the version returned as C# values: JSON code of the same version has no one shape to see such
        /// a value in (finding 6, refused as VK0021), so no code of the version reads them.
        /// </summary>
        public HashSet<Slot> TypedValues { get; } = [];

        /// <summary>Resources in lists this version restores.</summary>
        public HashSet<Res> Listed { get; } = [];

        /// <summary>Resources some code of the version has run on so far (newer changes, earlier methods of the change).</summary>
        public HashSet<Res> Coded { get; } = [];

        /// <summary>
        /// Resources JSON copies into values created at this version. A copy is in the shape of the version and receives only
        /// the older versions: the version may change the copied resources' other fields (the copy keeps them as they were,
        /// which is checked), but not their fields that hold resources, or the copy would hold resources in a field no shape
        /// of the resource has at the older versions, where section 2 does not say whether it is searched.
        /// </summary>
        public HashSet<Res> Copied { get; } = [];

        /// <summary>Resources whose fields that hold resources a change of the version renames, hides or transforms.</summary>
        public HashSet<Res> NestedTouched { get; } = [];

        /// <summary>
        /// Resources with code of the version on a dictionary, or on the whole resource. Below the version, section 2
        /// searches such a field for resources (what code makes of a field can hold anything), while a JSON copy of the
        /// resource made at the version still holds the dictionary there: the chain takes a dictionary naming a resource for
        /// one, the oracle (which knows what is a resource by where it came from) does not. Section 2 does not settle what a
        /// copy that skipped its version's code looks like below it, so such a resource is not copied at that version.
        /// </summary>
        public HashSet<Res> DictionaryCoded { get; } = [];
    }

    private sealed class Walker(Picker shape, Picker pick, int length)
    {
        private static readonly IReadOnlySet<Res> Nothing = new HashSet<Res>();
        private static readonly string[] Texts = ["fresh", "older", "ancient", "x"];

        private readonly Dictionary<Res, IReadOnlyList<Prop>> _current = [];
        private readonly Dictionary<Res, List<Slot>> _state = [];
        private readonly HashSet<Res> _raw = [];
        private readonly List<OracleChange> _changes = [];
        private readonly Dictionary<(Res, ApiVersion), IReadOnlyList<string>> _shapes = [];
        private readonly HashSet<(Res, ApiVersion)> _wholeCode = [];
        private readonly HashSet<Res> _wholeCodeOn = [];
        private readonly HashSet<string> _features = [];
        private readonly HashSet<(Res, ApiVersion)> _typedAt = [];
        private readonly HashSet<Res> _listed = [];
        private bool _usePart;
        private int _counter;

        public OracleHistory Build()
        {
            Shape();
            int count = Math.Clamp(length / 5, 1, 10);
            var versions = Enumerable.Range(1, count).Select(i =>
            {
                string date = Initial.Date.AddDays(i * 45).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                return ApiVersion.Parse(pick.OneIn(5) ? date + ".rel" + i.ToString(CultureInfo.InvariantCulture) : date);
            }).ToList();
            Record(versions[^1]);
            for (int i = count - 1; i >= 0; i--)
            {
                Version(versions[i], i);
                Record(i == 0 ? Initial : versions[i - 1]);
            }

            _changes.Reverse();
            return new OracleHistory(_current, _usePart, _changes, [Initial, .. versions], _shapes, _wholeCode, _features);
        }

        private void Record(ApiVersion version)
        {
            foreach (var (resource, slots) in _state)
            {
                _shapes[(resource, version)] = [.. slots.Select(s => s.Name)];
            }
        }

        // The current shape: a few scalars of each resource and a random choice of the structural fields, in a random order.
        private void Shape()
        {
            _usePart = shape.OneIn(3);
            Holds Scalar() => shape.Next(3) switch { 0 => Holds.Text, 1 => Holds.Number, _ => Holds.Flag };
            List<Prop> Scalars(string[] words, int count) => [.. words.Take(count).Select(w => new Prop(w, Scalar(), null))];

            var leaf = Scalars(["lima", "mike", "november"], 1 + shape.Next(3));
            var thing = Scalars(["alpha", "bravo", "charlie", "delta"], 1 + shape.Next(4));
            if (!shape.OneIn(3))
            {
                thing.Add(new Prop("tone", Holds.Tone, null));
            }

            if (shape.OneIn(2))
            {
                thing.Add(new Prop("metadata", Holds.Metadata, null));
            }

            if (!shape.OneIn(3))
            {
                thing.Add(new Prop("leaf", Holds.One, Res.Leaf));
            }

            if (shape.OneIn(2))
            {
                thing.Add(new Prop("leaves", Holds.List, Res.Leaf));
            }

            if (_usePart)
            {
                thing.Add(new Prop("part", Holds.Part, null));
            }

            var box = Scalars(["echo", "foxtrot"], shape.Next(3));
            box.Add(new Prop("item", Holds.One, Res.Thing));
            box.Add(new Prop("items", Holds.Envelope, Res.Thing));
            if (shape.OneIn(2))
            {
                box.Add(new Prop("target", Holds.Poly, null));
            }

            if (shape.OneIn(3))
            {
                box.Add(new Prop("metadata", Holds.Metadata, null));
            }

            foreach (var (resource, props) in new[] { (Res.Leaf, leaf), (Res.Thing, thing), (Res.Box, box) })
            {
                int rotate = shape.Next(props.Count);
                _current[resource] = [.. props.Skip(rotate), .. props.Take(rotate)];
                _state[resource] =
                [
                    new Slot("id", Holds.Text, null, "Id", Nothing),
                    new Slot("object", Holds.Text, null, null, Nothing),
                    .. _current[resource].Select(p => new Slot(p.Name, p.Holds, p.Of, p.Name, InsideOf(p.Holds, p.Of))),
                ];
            }
        }

        // The resources a resource can sit in, and those that can sit in it.
        private static Res[] SelfAndAncestors(Res resource) => resource switch { Res.Leaf => [Res.Leaf, Res.Thing, Res.Box], Res.Thing => [Res.Thing, Res.Box], _ => [Res.Box] };

        private static Res[] SelfAndDescendants(Res resource) => resource switch { Res.Box => [Res.Box, Res.Thing, Res.Leaf], Res.Thing => [Res.Thing, Res.Leaf], _ => [Res.Leaf] };

        private static IReadOnlySet<Res> InsideOf(Holds holds, Res? of) => holds switch
        {
            Holds.One or Holds.List or Holds.Envelope => of == Res.Thing ? new HashSet<Res> { Res.Thing, Res.Leaf } : new HashSet<Res> { of!.Value },
            Holds.Poly => new HashSet<Res> { Res.Thing, Res.Leaf },
            Holds.Part => new HashSet<Res> { Res.Leaf },
            _ => Nothing,
        };

        // One version: one to three changes, made newest first; several changes get distinct Orders and names in another order.
        private void Version(ApiVersion version, int index)
        {
            var scope = new VersionScope(version, _state);
            int count = pick.OneIn(4) ? 2 + pick.Next(2) : 1;
            var letters = "abc"[..count].ToList();
            for (int j = 0; j < count; j++)
            {
                char letter = letters[pick.Next(letters.Count)];
                letters.Remove(letter);
                string name = "C" + index.ToString(CultureInfo.InvariantCulture) + letter;
                int order = count == 1 ? 0 : count - j;
                var ops = new List<Op>();
                bool sideEffects = false;
                if (pick.OneIn(25))
                {
                    sideEffects = true;
                }
                else if (!Change(scope, version, name, ops))
                {
                    ops.Clear();
                    Constant(scope, Res.Box, ops);
                }

                _typedAt.UnionWith(ops.Where(o => o is Removed { Value: FromObject } or Coded { Code: Typed }).Select(o => (o.On, version)));
                if (ops.Any(o => _listed.Contains(o.On)))
                {
                    _features.Add("older change on resources in a restored list");
                }

                _changes.Add(new OracleChange(version, order, name, sideEffects, ops));
            }

            _raw.UnionWith(scope.Copied);
            _listed.UnionWith(scope.Listed);
        }

        private bool Change(VersionScope scope, ApiVersion version, string name, List<Op> ops)
        {
            var resource = (Res)pick.Next(3);
            return pick.Next(21) switch
            {
                0 or 1 => Rename(scope, resource, ops),
                2 or 3 => Hide(scope, resource, ops),
                4 => Constant(scope, resource, ops),
                5 or 6 => Map(scope, resource, name, ops),
                7 or 8 => JsonComputed(scope, resource, ops),
                9 or 10 => TypedComputed(scope, resource, ops),
                11 or 12 => Move(scope, resource == Res.Box ? Res.Box : Res.Thing, ops),
                13 or 14 => RestoredList(scope, resource == Res.Box ? Res.Box : Res.Thing, ops),
                _ => CodeAndDeclarations(scope, version, resource, name, ops),
            };
        }

        private string Fresh(string prefix) => prefix + "_" + (_counter++).ToString(CultureInfo.InvariantCulture);

        private List<Slot> Named(Res resource) => [.. _state[resource].Where(s => s.Name is not ("id" or "object"))];

        private static List<Slot> StartNamed(VersionScope scope, Res resource) => [.. scope.Start[resource].Where(s => scope.StartName[s] is not ("id" or "object"))];

        // Typed computations and typed code need the C# object: not in a JSON copy.
        private bool CanType(VersionScope scope, Res resource) => !_raw.Contains(resource);

        private bool WholeCodeFrom(Res resource, ApiVersion version) => _wholeCode.Any(w => w.Item1 == resource && w.Item2 >= version);

        // Whether a change of the version may rename, hide or transform the slot (see VersionScope.Copied).
        private static bool CanTouch(VersionScope scope, Res resource, Slot slot) => slot.Inside.Count == 0 || !scope.Copied.Contains(resource);

        private static void Touch(VersionScope scope, Res resource, Slot slot)
        {
            if (slot.Inside.Count > 0)
            {
                scope.NestedTouched.Add(resource);
            }
        }

        // JSON code copies resources into a value it creates, unless the version reshapes their fields that hold resources.
        private static bool Copy(VersionScope scope, IEnumerable<Res> resources)
        {
            var all = resources.ToList();
            if (all.Any(scope.NestedTouched.Contains) || all.Any(scope.DictionaryCoded.Contains))
            {
                return false;
            }

            scope.Copied.UnionWith(all);
            return true;
        }

        private static bool TouchedByOther(VersionScope scope, Slot slot, string change)
            => scope.ValueTouchedBy.TryGetValue(slot, out string? by) && by != change;

        private bool Rename(VersionScope scope, Res resource, List<Op> ops)
        {
            var slots = Named(resource).Where(s => CanTouch(scope, resource, s)).ToList();
            if (slots.Count == 0)
            {
                return false;
            }

            var slot = pick.One(slots);
            string old = Fresh("was");
            ops.Add(new Renamed(resource, old, slot.Name));
            slot.Name = old;
            Touch(scope, resource, slot);
            return true;
        }

        private bool Hide(VersionScope scope, Res resource, List<Op> ops)
        {
            var slots = Named(resource).Where(s => CanTouch(scope, resource, s)).ToList();
            if (slots.Count == 0)
            {
                return false;
            }

            var slot = pick.One(slots);
            ops.Add(new Added(resource, slot.Name));
            _state[resource].Remove(slot);
            Touch(scope, resource, slot);
            return true;
        }

        private bool Constant(VersionScope scope, Res resource, List<Op> ops)
        {
            string name = Fresh("gone");
            int value = pick.Next(1000);
            var (constant, holds) = pick.Next(5) switch
            {
                0 => (JsonValue.Create("legacy_" + name), Holds.Text),
                1 => (JsonValue.Create("fresh"), Holds.Text),
                2 => (JsonValue.Create(value - 500), Holds.Number),
                3 => (JsonValue.Create(value % 2 == 0), Holds.Flag),
                _ => ((JsonValue?)null, Holds.Opaque),
            };
            ops.Add(new Removed(resource, name, new Constant(constant)));
            _state[resource].Add(new Slot(name, holds, null, null, Nothing));
            return true;
        }

        private bool Map(VersionScope scope, Res resource, string change, List<Op> ops)
        {
            var slots = Named(resource).Where(s => s.Holds is Holds.Text or Holds.Tone or Holds.Computed && !TouchedByOther(scope, s, change) && CanTouch(scope, resource, s)).ToList();
            if (slots.Count == 0)
            {
                return false;
            }

            var slot = pick.One(slots);
            _features.Add("map on " + slot.Holds switch { Holds.Tone => "a C# enum", Holds.Text => "a string", _ => "a computed value" });
            string value = pick.OneIn(3) ? "older" : "fresh";
            string legacy = pick.One(Texts.Where(t => t != value).ToList());
            ops.Add(new Mapped(resource, slot.Name, value, legacy));
            scope.ValueTouchedBy[slot] = change;

            // The field no longer holds the property's own value: older typed code cannot take it (VK0020).
            slot.Property = null;
            Touch(scope, resource, slot);
            return true;
        }

        // A removed field computed from the JSON at the version: a copy of one field, its text, or whether it is "fresh".
        private bool JsonComputed(VersionScope scope, Res resource, List<Op> ops)
        {
            var slots = scope.Start[resource].Where(s => scope.StartName[s] != "object" && scope.StartValue[s].Holds != Holds.Metadata).ToList();
            if (slots.Count == 0)
            {
                return false;
            }

            var slot = pick.One(slots);
            var read = scope.StartValue[slot];
            string readName = scope.StartName[slot];
            int kind = pick.Next(3);
            if (kind == 0 && read.Inside.Count > 0 && !Copy(scope, read.Inside))
            {
                kind = 1;
            }

            JsonCalc calc = kind switch { 0 => new CopyOf(readName), 1 => new TextOf(readName), _ => new IsFresh(readName) };
            var restored = kind == 0 && read.Holds is Holds.One or Holds.List or Holds.Envelope
                ? new Slot(Fresh("gone"), read.Holds, read.Of, null, read.Inside)
                : new Slot(Fresh("gone"), Holds.Computed, null, null, kind == 0 ? read.Inside : Nothing);
            ops.Add(new Removed(resource, restored.Name, new FromJson(pick.OneIn(2) ? readName : null, calc, Fresh("Value"))));

            // The usual story: the new field replaces the old one, so older versions lose it.
            if (readName != "id" && _state[resource].Contains(slot) && CanTouch(scope, resource, slot) && pick.OneIn(3))
            {
                ops.Add(new Added(resource, slot.Name));
                _state[resource].Remove(slot);
                Touch(scope, resource, slot);
            }

            _state[resource].Add(restored);
            return true;
        }

        // A removed field computed from the current C# object: a property, the first child's property, or a list of the one child.
        private bool TypedComputed(VersionScope scope, Res resource, List<Op> ops)
        {
            if (!CanType(scope, resource))
            {
                return false;
            }

            var props = _current[resource];
            var relations = props.Where(p => p.Holds is Holds.One or Holds.List or Holds.Envelope).ToList();
            var ones = props.Where(p => p.Holds == Holds.One).ToList();
            TypedCalc calc;
            Slot restored;
            switch (pick.Next(3))
            {
                case 1 when relations.Count > 0:
                    {
                        var relation = pick.One(relations);
                        var property = pick.One(_current[relation.Of!.Value]);
                        calc = new NestedPropOf(relation, property);
                        restored = new Slot(Fresh("gone"), property.Holds, property.Of, null, InsideOf(property.Holds, property.Of));
                        break;
                    }

                case 2 when ones.Count > 0:
                    {
                        var relation = pick.One(ones);
                        bool envelope = pick.OneIn(2);
                        calc = new ListOfProp(relation, envelope);
                        restored = new Slot(Fresh("gone"), envelope ? Holds.Envelope : Holds.List, relation.Of, null, InsideOf(Holds.List, relation.Of));
                        break;
                    }

                default:
                    {
                        // Half the time a structural property (nested resources, the enum, the dictionary): the rare cases.
                        var structural = props.Where(p => p.Holds is not (Holds.Text or Holds.Number or Holds.Flag)).ToList();
                        var dictionary = props.FirstOrDefault(p => p.Holds == Holds.Metadata);
                        var property = pick.OneIn(6) ? new Prop("id", Holds.Text, null)
                            : dictionary is not null && pick.OneIn(4) ? dictionary
                            : structural.Count > 0 && pick.OneIn(2) ? pick.One(structural)
                            : pick.One(props);
                        calc = new PropOf(property);
                        restored = new Slot(Fresh("gone"), property.Holds, property.Of, null, InsideOf(property.Holds, property.Of));
                        break;
                    }
            }

            ops.Add(new Removed(resource, restored.Name, new FromObject(calc, Fresh("Value"))));
            _state[resource].Add(restored);
            return true;
        }

        // Stripe's 2025-03-31.basil: a field leaves the parent for its children. The parent gets it back, computed from the
        // first child (JSON through the relation as it is at the version, or typed from the C# object); the child loses it.
        private bool Move(VersionScope scope, Res parent, List<Op> ops)
        {
            Slot restored;
            Restore value;
            Res child;
            Slot? moved;
            if (pick.OneIn(2))
            {
                var relations = scope.Start[parent].Where(s => scope.StartValue[s] is { Holds: Holds.One or Holds.List or Holds.Envelope, Of: not null }).ToList();
                if (relations.Count == 0)
                {
                    return false;
                }

                var relation = scope.StartValue[pick.One(relations)];
                child = relation.Of!.Value;
                var fields = StartNamed(scope, child).Where(s => _state[child].Contains(s) && scope.StartValue[s].Holds != Holds.Metadata).ToList();
                if (fields.Count == 0)
                {
                    return false;
                }

                moved = pick.One(fields);
                var read = scope.StartValue[moved];
                if (read.Inside.Count > 0 && !Copy(scope, read.Inside))
                {
                    return false;
                }

                value = new FromJson(pick.OneIn(3) ? null : relation.Name, new NestedOf(relation.Name, relation.Holds, read.Name), Fresh("Value"));
                restored = read.Holds is Holds.One or Holds.List or Holds.Envelope
                    ? new Slot(Fresh("gone"), read.Holds, read.Of, null, read.Inside)
                    : new Slot(Fresh("gone"), Holds.Computed, null, null, read.Inside);
            }
            else
            {
                var relations = _current[parent].Where(p => p.Holds is Holds.One or Holds.List or Holds.Envelope).ToList();
                if (!CanType(scope, parent) || relations.Count == 0)
                {
                    return false;
                }

                var relation = pick.One(relations);
                child = relation.Of!.Value;
                var property = pick.One(_current[child]);
                moved = _state[child].FirstOrDefault(s => s.Property == property.Name);
                value = new FromObject(new NestedPropOf(relation, property), Fresh("Value"));
                restored = new Slot(Fresh("gone"), property.Holds, property.Of, null, InsideOf(property.Holds, property.Of));
            }

            ops.Add(new Removed(parent, restored.Name, value));
            _state[parent].Add(restored);
            if (moved is not null && _state[child].Contains(moved) && CanTouch(scope, child, moved) && !pick.OneIn(4))
            {
                ops.Add(new Added(child, moved.Name));
                _state[child].Remove(moved);
                Touch(scope, child, moved);
            }

            return true;
        }

        // A list of resources older versions had, rebuilt from the one resource that replaced it (a list envelope or an array).
        private bool RestoredList(VersionScope scope, Res parent, List<Op> ops)
        {
            bool envelope = pick.OneIn(2);
            Slot? single;
            Restore value;
            Res child;
            if (pick.OneIn(2))
            {
                var ones = scope.Start[parent].Where(s => scope.StartValue[s] is { Holds: Holds.One, Of: not null }).ToList();
                if (ones.Count == 0)
                {
                    return false;
                }

                single = pick.One(ones);
                var read = scope.StartValue[single];
                child = read.Of!.Value;
                if (!Copy(scope, read.Inside))
                {
                    return false;
                }

                string singleName = read.Name;
                value = new FromJson(pick.OneIn(3) ? null : singleName, new ListOf(singleName, envelope), Fresh("Value"));
            }
            else
            {
                var ones = _current[parent].Where(p => p.Holds == Holds.One).ToList();
                if (!CanType(scope, parent) || ones.Count == 0)
                {
                    return false;
                }

                var relation = pick.One(ones);
                child = relation.Of!.Value;
                single = _state[parent].FirstOrDefault(s => s.Property == relation.Name);
                value = new FromObject(new ListOfProp(relation, envelope), Fresh("Value"));
            }

            var restored = new Slot(Fresh("gone"), envelope ? Holds.Envelope : Holds.List, child, null, InsideOf(Holds.List, child));
            scope.Listed.UnionWith(restored.Inside);
            ops.Add(new Removed(parent, restored.Name, value));
            if (single is not null && _state[parent].Contains(single) && CanTouch(scope, parent, single) && pick.OneIn(2))
            {
                ops.Add(new Added(parent, single.Name));
                _state[parent].Remove(single);
                Touch(scope, parent, single);
            }

            _state[parent].Add(restored);
            return true;
        }

        // One or two transformations of one resource (whole JSON, JSON on one field, typed on one field), then up to two
        // declarations of the same change on the same resource, possibly on the fields the code touched.
        private bool CodeAndDeclarations(VersionScope scope, ApiVersion version, Res resource, string change, List<Op> ops)
        {
            var retyped = new List<(Slot Slot, string Old, string New)>();
            int codes = pick.OneIn(3) ? 2 : 1;
            for (int c = 0; c < codes; c++)
            {
                // A resource copied at this version gets no code on its dictionaries, nor on the whole of it (VersionScope.DictionaryCoded).
                bool copied = scope.Copied.Contains(resource);
                var slots = StartNamed(scope, resource).Where(s => !TouchedByOther(scope, s, change) && CanTouch(scope, resource, s) && !scope.TypedValues.Contains(s)
                    && !(copied && s.Holds == Holds.Metadata)).ToList();
                var typable = slots.Where(s => s.Property is not null && !scope.ValueTouchedBy.ContainsKey(s) && TypedKinds(s.Holds).Count > 0).ToList();
                int kind = pick.Next(3);
                if (kind == 0 && copied)
                {
                    kind = 1;
                }

                if (kind == 2 && (typable.Count == 0 || !CanType(scope, resource)))
                {
                    kind = 1;
                }

                if (slots.Count == 0)
                {
                    break;
                }

                if (kind == 2)
                {
                    var structural = typable.Where(s => s.Holds is not (Holds.Text or Holds.Number or Holds.Flag)).ToList();
                    var slot = pick.One(structural.Count > 0 && pick.OneIn(2) ? structural : typable);
                    if (slot.Holds == Holds.Metadata)
                    {
                        scope.DictionaryCoded.Add(resource);
                    }

                    var prop = _current[resource].Single(p => p.Name == slot.Property);
                    var typedKind = pick.One(TypedKinds(slot.Holds));
                    ops.Add(new Coded(resource, scope.StartName[slot], new Typed(typedKind, prop, Fresh("_t")), Fresh("Code")));
                    scope.Coded.Add(resource);
                    Touch(scope, resource, slot);
                    var (holds, of, oldType) = After(typedKind, slot);
                    if (oldType is not null)
                    {
                        retyped.Add((slot, oldType, JsonType(slot.Holds)));
                    }

                    slot.Holds = holds;
                    slot.Of = of;
                    slot.Inside = InsideOf(holds, of);
                    slot.Property = null;
                    scope.TypedValues.Add(slot);

                    scope.ValueTouchedBy[slot] = change;
                }
                else
                {
                    var slot = pick.One(slots);
                    if (slot.Holds == Holds.Metadata || kind == 0)
                    {
                        scope.DictionaryCoded.Add(resource);
                    }

                    string field = scope.StartName[slot];
                    Code code;
                    if (kind == 0)
                    {
                        var others = scope.Start[resource].Where(s => !scope.TypedValues.Contains(s)).ToList();
                        code = pick.OneIn(2) ? new Stringify(field) : new Concat(field, scope.StartName[pick.One(others)]);
                        _wholeCode.Add((resource, version));
                        _wholeCodeOn.Add(resource);
                    }
                    else
                    {
                        // On a value that holds resources, code is handed a copy at the version: it keeps the copy (a value
                        // created here, in the version's shape, so only where the version does not touch those resources),
                        // reads it, or reduces it to an id or a count.
                        int nested = slot.Inside.Count == 0 ? -1 : pick.Next(3);
                        if (nested == 0 && (slot.Inside.Overlaps(scope.Coded) || !Copy(scope, slot.Inside)))
                        {
                            nested = 2;
                        }

                        code = slot.Holds switch
                        {
                            _ when nested == 0 => new Keep(field),
                            _ when nested == 1 => new Stringify(field),
                            Holds.Computed or Holds.Opaque when slot.Inside.Count > 0 => new IdOf(field),
                            Holds.Text or Holds.Tone or Holds.Computed => pick.OneIn(2) ? new Suffix(field, Fresh("_s")) : new Stringify(field),
                            Holds.List or Holds.Envelope => new SizeOf(field, slot.Holds),
                            Holds.One or Holds.Poly or Holds.Part => new IdOf(field),
                            _ => new Stringify(field),
                        };
                    }

                    ops.Add(new Coded(resource, kind == 0 ? null : field, code, Fresh("Code")));
                    scope.Coded.Add(resource);
                    Touch(scope, resource, slot);
                    if (code is not (Suffix or Keep))
                    {
                        if (slot.Holds is not (Holds.Computed or Holds.Opaque))
                        {
                            retyped.Add((slot, code is SizeOf ? "integer" : "string", JsonType(slot.Holds)));
                        }

                        slot.Holds = Holds.Opaque;
                        slot.Of = null;
                        slot.Inside = Nothing;
                    }

                    slot.Property = null;
                    scope.ValueTouchedBy[slot] = change;
                }
            }

            if (!ops.OfType<Coded>().Any())
            {
                return false;
            }

            // A change's declarations apply by kind (maps, renames, hides, restores), so they are made in that order: a hide
            // names the field as a rename of the same change left it, and nothing names a field the change restores.
            var declarations = Enumerable.Range(0, pick.Next(3)).Select(_ => pick.Next(4)).Order().ToList();
            foreach (int declaration in declarations)
            {
                _ = declaration switch
                {
                    0 => Map(scope, resource, change, ops),
                    1 => Rename(scope, resource, ops),
                    2 => Hide(scope, resource, ops),
                    _ => Constant(scope, resource, ops),
                };
            }

            // A type change is documented on the field as the version names it, where this change leaves that name alone.
            foreach (var (slot, oldType, newType) in retyped.DistinctBy(r => r.Slot))
            {
                if (_state[resource].Contains(slot) && slot.Name == scope.StartName[slot])
                {
                    ops.Add(new Retyped(resource, slot.Name, oldType, newType));
                }
            }

            return true;
        }

        private List<TypedKind> TypedKinds(Holds holds) => holds switch
        {
            Holds.Number => [TypedKind.NumberToText],
            Holds.Flag => [TypedKind.FlagToNumber],
            Holds.Text => [TypedKind.TextSuffix],
            Holds.Tone => [TypedKind.ToneOlder, TypedKind.ToneName],
            Holds.One => [TypedKind.OneToId, TypedKind.OneSame],
            Holds.List => [TypedKind.ListFirst],
            Holds.Envelope => [TypedKind.EnvelopeToList],
            Holds.Poly => [TypedKind.PolyToId],
            Holds.Metadata => [TypedKind.MetadataCount],
            Holds.Part when _usePart => [TypedKind.PartToId],
            _ => [],
        };

        // What a typed transformation leaves in the field, and the field's old JSON type when it changes.
        private static (Holds Holds, Res? Of, string? OldType) After(TypedKind kind, Slot slot) => kind switch
        {
            TypedKind.NumberToText => (Holds.Text, null, "string"),
            TypedKind.FlagToNumber => (Holds.Number, null, "integer"),
            TypedKind.TextSuffix => (Holds.Text, null, null),
            TypedKind.ToneOlder => (Holds.Tone, null, null),
            TypedKind.ToneName => (Holds.Text, null, null),
            TypedKind.OneToId or TypedKind.PolyToId or TypedKind.PartToId => (Holds.Text, null, "string"),
            TypedKind.OneSame => (Holds.One, slot.Of, null),
            TypedKind.ListFirst => (Holds.List, slot.Of, null),
            TypedKind.EnvelopeToList => (Holds.List, slot.Of, "array"),
            TypedKind.MetadataCount => (Holds.Number, null, "integer"),
            _ => throw new InvalidOperationException(kind.ToString()),
        };

        private static string JsonType(Holds holds) => holds switch
        {
            Holds.Number => "integer",
            Holds.Flag => "boolean",
            Holds.List => "array",
            Holds.Text or Holds.Tone => "string",
            _ => "object",
        };
    }
}

/// <summary>Writes an oracle history as the C# source a user would write: resources in the current shape, one class per change.</summary>
internal static class OracleSource
{
    public static string Write(OracleHistory history)
    {
        var source = new StringBuilder();
        source.AppendLine("using System.Collections.Generic;");
        source.AppendLine("using System.Globalization;");
        source.AppendLine("using System.Linq;");
        source.AppendLine("using System.Text.Json.Nodes;");
        source.AppendLine("using System.Text.Json.Serialization;");
        source.AppendLine("using VersionKit;");
        source.AppendLine("namespace Orc;");
        source.AppendLine("[ApiHistory(\"2000-01-01\", NamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]");
        source.AppendLine("public partial class OrcHistory;");
        source.AppendLine("public enum Tone { Plain, Fresh, Older }");
        if (history.UsePart)
        {
            source.AppendLine("[JsonDerivedType(typeof(Leaf))]");
            source.AppendLine("public abstract class Part;");
        }

        foreach (var resource in new[] { Res.Leaf, Res.Thing, Res.Box })
        {
            source.AppendLine(CultureInfo.InvariantCulture, $"[ApiResource(\"{OracleNames.Obj(resource)}\")]");
            source.AppendLine(CultureInfo.InvariantCulture, $"public sealed class {OracleNames.Cs(resource)}{(resource == Res.Leaf && history.UsePart ? " : Part" : "")}");
            source.AppendLine("{");
            source.AppendLine("    public string Id { get; set; } = \"\";");
            source.AppendLine(CultureInfo.InvariantCulture, $"    public string Object => \"{OracleNames.Obj(resource)}\";");
            foreach (var prop in history.Current[resource])
            {
                string initial = prop.Holds switch
                {
                    Holds.List => " = new();",
                    Holds.Envelope => $" = new(new List<{OracleNames.Cs(prop.Of!.Value)}>(), \"/v1/list\");",
                    _ => "",
                };
                source.AppendLine(CultureInfo.InvariantCulture, $"    public {prop.CsType} {prop.CsName} {{ get; set; }}{initial}");
            }

            source.AppendLine("}");
        }

        foreach (var change in history.Changes)
        {
            string order = change.Order == 0 ? "" : ", Order = " + change.Order.ToString(CultureInfo.InvariantCulture);
            string effects = change.SideEffects ? ", HasSideEffects = true" : "";
            source.AppendLine(CultureInfo.InvariantCulture, $"[VersionChange(\"{change.Version}\", \"Change {change.Name}.\"{order}{effects})]");
            foreach (var op in change.Ops)
            {
                string type = OracleNames.Cs(op.On);
                string? attribute = op switch
                {
                    Renamed r => $"[FieldRenamed(typeof({type}), \"{r.Old}\", \"{r.New}\")]",
                    Added a => $"[FieldAdded(typeof({type}), \"{a.Field}\")]",
                    Mapped m => $"[EnumValueAdded(typeof({type}), \"{m.Field}\", \"{m.Value}\", \"{m.Legacy}\")]",
                    Retyped t => $"[FieldTypeChanged(typeof({type}), \"{t.Field}\", \"{t.OldType}\", \"{t.NewType}\")]",
                    Removed { Value: Constant { Value: null } } r => $"[FieldRemoved(typeof({type}), \"{r.Field}\")]",
                    Removed { Value: Constant c } r => $"[FieldRemoved(typeof({type}), \"{r.Field}\", Value = {c.Value!.ToJsonString()})]",
                    Removed { Value: FromJson { ValueFromField: { } field } j } r => $"[FieldRemoved(typeof({type}), \"{r.Field}\", ValueFrom = nameof({j.Method}), ValueFromField = \"{field}\")]",
                    Removed { Value: FromJson j } r => $"[FieldRemoved(typeof({type}), \"{r.Field}\", ValueFrom = nameof({j.Method}))]",
                    Removed { Value: FromObject t } r => $"[FieldRemoved(typeof({type}), \"{r.Field}\", ValueFrom = nameof({t.Method}))]",
                    _ => null,
                };
                if (attribute is not null)
                {
                    source.AppendLine(attribute);
                }
            }

            source.AppendLine(CultureInfo.InvariantCulture, $"public sealed class {change.Name}");
            source.AppendLine("{");
            foreach (var op in change.Ops)
            {
                switch (op)
                {
                    case Removed { Value: FromJson j }:
                        source.AppendLine(CultureInfo.InvariantCulture, $"    public static JsonNode? {j.Method}(JsonObject o) => {JsonCalcText(j.Calc)};");
                        break;
                    case Removed { Value: FromObject t }:
                        source.AppendLine(CultureInfo.InvariantCulture, $"    public static {TypedCalcText(t.Calc, op.On, t.Method)}");
                        break;
                    case Coded { Code: Typed typed } coded:
                        source.AppendLine(CultureInfo.InvariantCulture, $"    [BackwardTransform(typeof({OracleNames.Cs(op.On)}), Field = \"{coded.Field}\")]");
                        source.AppendLine(CultureInfo.InvariantCulture, $"    public static {TypedCodeText(typed, coded.Method)}");
                        break;
                    case Coded coded:
                        string field = coded.Field is null ? "" : $", Field = \"{coded.Field}\"";
                        source.AppendLine(CultureInfo.InvariantCulture, $"    [BackwardTransform(typeof({OracleNames.Cs(op.On)}){field})]");
                        source.AppendLine(CultureInfo.InvariantCulture, $"    public static void {coded.Method}(JsonObject o) => {JsonCodeText(coded.Code)};");
                        break;
                }
            }

            source.AppendLine("}");
        }

        return source.ToString();
    }

    private static string Get(string field) => $"o[\"{field}\"]";

    private static string JsonCalcText(JsonCalc calc) => calc switch
    {
        CopyOf c => $"{Get(c.Field)}?.DeepClone()",
        TextOf t => $"JsonValue.Create({Get(t.Field)}?.ToJsonString() ?? \"none\")",
        IsFresh f => $"JsonValue.Create({Get(f.Field)} is JsonValue v && v.TryGetValue(out string? s) && s == \"fresh\")",
        NestedOf { Shape: Holds.One } n => $"{Get(n.Relation)} is JsonObject c ? c[\"{n.Field}\"]?.DeepClone() : null",
        NestedOf { Shape: Holds.List } n => $"{Get(n.Relation)} is JsonArray a && a.Count > 0 && a[0] is JsonObject c ? c[\"{n.Field}\"]?.DeepClone() : null",
        NestedOf n => $"{Get(n.Relation)} is JsonObject e && e[\"data\"] is JsonArray a && a.Count > 0 && a[0] is JsonObject c ? c[\"{n.Field}\"]?.DeepClone() : null",
        ListOf { Envelope: true } l => $"new JsonObject {{ [\"object\"] = \"list\", [\"data\"] = {Get(l.Relation)} is JsonObject c ? new JsonArray(c.DeepClone()) : new JsonArray() }}",
        ListOf l => $"{Get(l.Relation)} is JsonObject c ? new JsonArray(c.DeepClone()) : new JsonArray()",
        _ => throw new InvalidOperationException(calc.ToString()),
    };

    private static string Nullable(string type) => type.EndsWith('?') ? type : type + "?";

    private static string TypedCalcText(TypedCalc calc, Res on, string method)
    {
        string r = OracleNames.Cs(on);
        switch (calc)
        {
            case PropOf { Property.Name: "id" }:
                return $"string {method}({r} r) => r.Id;";
            case PropOf p:
                return $"{p.Property.CsType} {method}({r} r) => r.{p.Property.CsName};";
            case NestedPropOf n:
                string first = n.Relation.Holds switch
                {
                    Holds.One => $"r.{n.Relation.CsName}",
                    Holds.List => $"r.{n.Relation.CsName}.FirstOrDefault()",
                    _ => $"r.{n.Relation.CsName}.Data.FirstOrDefault()",
                };
                return $"{Nullable(n.Property.CsType)} {method}({r} r) => {first} is {{ }} c ? c.{n.Property.CsName} : null;";
            case ListOfProp l:
                string child = OracleNames.Cs(l.Relation.Of!.Value);
                string list = $"r.{l.Relation.CsName} is null ? new List<{child}>() : new List<{child}> {{ r.{l.Relation.CsName} }}";
                return l.Envelope
                    ? $"ApiList<{child}> {method}({r} r) => new ApiList<{child}>({list}, \"/v1/list\");"
                    : $"List<{child}> {method}({r} r) => {list};";
            default:
                throw new InvalidOperationException(calc.ToString());
        }
    }

    private static string TypedCodeText(Typed typed, string method)
    {
        string param = typed.Property.CsType;
        string child = typed.Property.Of is { } of ? OracleNames.Cs(of) : "";
        return typed.Kind switch
        {
            TypedKind.NumberToText => $"string {method}({param} v) => v.ToString(CultureInfo.InvariantCulture);",
            TypedKind.FlagToNumber => $"long {method}({param} v) => v ? 1 : 0;",
            TypedKind.TextSuffix => $"string? {method}({param} v) => v is null ? null : v + \"{typed.Tag}\";",
            TypedKind.ToneOlder => $"Tone {method}({param} v) => v == Tone.Fresh ? Tone.Older : v;",
            TypedKind.ToneName => $"string {method}({param} v) => v.ToString();",
            TypedKind.OneToId => $"string? {method}({param} v) => v?.Id;",
            TypedKind.OneSame => $"{param} {method}({param} v) => v;",
            TypedKind.ListFirst => $"List<{child}> {method}({param} v) => v.Take(1).ToList();",
            TypedKind.EnvelopeToList => $"List<{child}> {method}({param} v) => v.Data.ToList();",
            TypedKind.PolyToId => $"string? {method}({param} v) => v switch {{ Thing t => t.Id, Leaf l => l.Id, string s => s, _ => null }};",
            TypedKind.MetadataCount => $"long {method}({param} v) => v?.Count ?? 0;",
            TypedKind.PartToId => $"string? {method}({param} v) => v is Leaf l ? l.Id : null;",
            _ => throw new InvalidOperationException(typed.Kind.ToString()),
        };
    }

    private static string JsonCodeText(Code code) => code switch
    {
        Stringify s => $"{Get(s.Field)} = {Get(s.Field)}?.ToJsonString()",
        Suffix s => $"{Get(s.Field)} = {Get(s.Field)} is JsonValue v && v.TryGetValue(out string? s) ? JsonValue.Create(s + \"{s.Tag}\") : {Get(s.Field)}?.DeepClone()",
        Concat c => $"{Get(c.Field)} = ({Get(c.Field)}?.ToJsonString() ?? \"null\") + \"|\" + ({Get(c.Other)}?.ToJsonString() ?? \"null\")",
        IdOf i => $"{Get(i.Field)} = {Get(i.Field)} is JsonObject r ? r[\"id\"]?.DeepClone() : {Get(i.Field)}?.DeepClone()",
        SizeOf { Shape: Holds.Metadata } s => $"{Get(s.Field)} = {Get(s.Field)} is JsonObject m ? m.Count : 0",
        SizeOf { Shape: Holds.List } s => $"{Get(s.Field)} = {Get(s.Field)} is JsonArray a ? a.Count : 0",
        SizeOf s => $"{Get(s.Field)} = {Get(s.Field)} is JsonObject e && e[\"data\"] is JsonArray a ? a.Count : 0",
        Keep k => $"{Get(k.Field)} = {Get(k.Field)}?.DeepClone()",
        _ => throw new InvalidOperationException(code.ToString()),
    };
}
