// The demo factory: a small metal-working plant that presses, machines, welds
// and assembles conveyor modules. Fixed tables, no randomness, so that every
// fresh install looks the same and screenshots stay comparable.

export type DemoRole = "purchasing" | "planner" | "operator" | "manager" | "admin";

export const demoUsers: ReadonlyArray<{
  username: string;
  displayName: string;
  role: DemoRole;
  /** An operator's work-center group, by code (see demoWorkCenters). */
  workCenter?: DemoWorkCenterCode;
}> = [
  { username: "buyer", displayName: "Bea Buyer", role: "purchasing" },
  { username: "planner", displayName: "Pat Planner", role: "planner" },
  // The first work center (Pressing), as the HTTP contract says; a second
  // Pressing tablet shows one group's changes reaching the other at once.
  { username: "operator", displayName: "Otto Operator", role: "operator", workCenter: "PRS" },
  { username: "operator2", displayName: "Oona Operator", role: "operator", workCenter: "PRS" },
  { username: "machinist", displayName: "Max Machinist", role: "operator", workCenter: "MCH" },
  { username: "welder", displayName: "Wanda Welder", role: "operator", workCenter: "WLD" },
  { username: "assembler", displayName: "Ari Assembler", role: "operator", workCenter: "ASM" },
  { username: "manager", displayName: "Mia Manager", role: "manager" },
  { username: "admin", displayName: "Ada Admin", role: "admin" },
];

/** Demo passwords follow one rule so they can be printed and documented: demo-<username>. */
export const demoPassword = (username: string) => `demo-${username}`;

// The first entry becomes the first work center by id: the demo operator's group.
export const demoWorkCenters = [
  { code: "PRS", name: "Pressing" },
  { code: "MCH", name: "Machining" },
  { code: "WLD", name: "Welding" },
  { code: "ASM", name: "Assembly" },
] as const;

export type DemoWorkCenterCode = (typeof demoWorkCenters)[number]["code"];

type MachineRow = [code: string, workCenter: string, name: string, status: "running" | "idle", capabilities: string[]];

// Capabilities overlap on purpose: when a machine stops, the planner has
// somewhere to move its queue (a press to a press, a mill to a mill-turn).
export const demoMachines: ReadonlyArray<MachineRow> = [
  ["PRS-01", "PRS", "Schuler 400 t transfer press", "running", ["press"]],
  ["PRS-02", "PRS", "Aida 250 t servo press", "running", ["press"]],
  ["PRS-03", "PRS", "Trumpf punch-laser combi", "idle", ["press", "laser-cut"]],
  ["MCH-01", "MCH", "DMG Mori 5-axis mill", "running", ["cnc-mill"]],
  ["MCH-02", "MCH", "Haas VF-4 vertical mill", "idle", ["cnc-mill", "drill"]],
  ["MCH-03", "MCH", "Mazak QT-250 lathe", "running", ["cnc-lathe"]],
  ["MCH-04", "MCH", "Okuma mill-turn centre", "idle", ["cnc-lathe", "cnc-mill"]],
  ["WLD-01", "WLD", "Fanuc robot weld cell A", "running", ["weld"]],
  ["WLD-02", "WLD", "Fanuc robot weld cell B", "idle", ["weld"]],
  ["WLD-03", "WLD", "Manual TIG bench", "idle", ["weld", "grind"]],
  ["ASM-01", "ASM", "Assembly line 1", "running", ["assemble"]],
  ["ASM-02", "ASM", "Assembly and test line 2", "running", ["assemble", "test"]],
];

type ItemRow = [sku: string, name: string, unit: string, stockQty: number];

// A handful are deliberately short (gas, a bearing, a gearbox, blue powder,
// sensors, rivets, stretch film at zero) so that shortages are easy to show.
export const demoItems: ReadonlyArray<ItemRow> = [
  ["BRG-32208", "Tapered roller bearing 32208", "pcs", 96],
  ["BRG-6204-2RS", "Deep groove ball bearing 6204-2RS", "pcs", 640],
  ["BRG-6205-2RS", "Deep groove ball bearing 6205-2RS", "pcs", 12],
  ["BRG-UCP205", "Pillow block bearing UCP205", "pcs", 58],
  ["CON-COOL-EMUL", "Coolant emulsion concentrate", "l", 900],
  ["CON-DISC-125-INOX", "Cutting disc 125 mm for stainless, box of 25", "box", 48],
  ["CON-OIL-ISO46", "Hydraulic oil ISO VG 46", "l", 620],
  ["DRV-BELT-SPZ1250", "V-belt SPZ 1250", "pcs", 210],
  ["DRV-CHN-08B1", "Roller chain 08B-1", "m", 75],
  ["DRV-GBX-I20", "Worm gearbox, ratio 1:20", "pcs", 4],
  ["DRV-MOT-075-4P", "Electric motor 0.75 kW 4-pole IE3", "pcs", 18],
  ["ELC-CBL-3G15", "Rubber power cable H07RN-F 3G1.5", "m", 1800],
  ["ELC-PROX-M12", "Inductive proximity sensor M12", "pcs", 8],
  ["ELC-RELAY-24V", "Safety relay 24 V DC", "pcs", 26],
  ["FG-CONV-1200", "Belt conveyor module 1200 mm", "pcs", 6],
  ["FST-M10X40-109", "Hex bolt M10x40 10.9 zinc-plated", "pcs", 8800],
  ["FST-M6X20-88", "Hex bolt M6x20 8.8 zinc-plated", "pcs", 42000],
  ["FST-M8X25-88", "Hex bolt M8x25 8.8 zinc-plated", "pcs", 26500],
  ["FST-NUT-M8-8", "Hex nut M8 class 8", "pcs", 31000],
  ["FST-PEM-M6", "Self-clinching nut M6", "pcs", 9200],
  ["FST-RIV-48X12", "Blind rivet 4.8x12 aluminium/steel", "pcs", 150],
  ["FST-WSH-M8", "Flat washer DIN 125 M8", "pcs", 54000],
  ["HYD-HOSE-DN10", "Hydraulic hose DN10 2SN", "m", 140],
  ["PKG-CARTON-600", "Corrugated carton 600x400x400", "pcs", 2400],
  ["PKG-PALLET-EUR", "EUR pallet 1200x800", "pcs", 160],
  ["PKG-STRETCH-23", "Stretch film 23 µm, 500 mm roll", "roll", 0],
  ["PNT-PRIMER-EP", "Epoxy primer, 20 l can", "can", 14],
  ["PNT-RAL5010-PWD", "Powder coating RAL 5010 gentian blue", "kg", 35],
  ["PNT-RAL7035-PWD", "Powder coating RAL 7035 light grey", "kg", 420],
  ["PRT-BRK-100", "Mounting bracket 100 mm, pressed", "pcs", 1200],
  ["PRT-FRAME-W1", "Welded base frame W1", "pcs", 14],
  ["PRT-HSG-62", "Bearing housing 62 mm, milled", "pcs", 240],
  ["PRT-PNL-SS", "Stainless cover panel, pressed", "pcs", 310],
  ["PRT-SHAFT-40", "Drive shaft 40 mm, turned", "pcs", 86],
  ["RM-BAR-AL6082-50", "Aluminium round bar 6082 Ø50 mm, 3 m", "bar", 48],
  ["RM-BAR-C45-40", "Steel round bar C45 Ø40 mm, 6 m", "bar", 85],
  ["RM-BAR-C45-60", "Steel round bar C45 Ø60 mm, 6 m", "bar", 22],
  ["RM-COIL-DC01-150", "Cold-rolled steel coil DC01 1.5 mm", "kg", 18500],
  ["RM-COIL-DC01-200", "Cold-rolled steel coil DC01 2.0 mm", "kg", 12400],
  ["RM-COIL-S355-300", "Hot-rolled steel coil S355 3.0 mm", "kg", 9600],
  ["RM-GAS-ARCO2-82", "Shielding gas Ar/CO2 82/18, 50 l cylinder", "cylinder", 6],
  ["RM-SHEET-AL5754-2", "Aluminium sheet 5754 2 mm, 1250x2500", "sheet", 140],
  ["RM-SHEET-SS304-15", "Stainless sheet 1.4301 1.5 mm, 1250x2500", "sheet", 36],
  ["RM-TUBE-S235-40", "Square tube S235 40x40x3", "m", 620],
  ["RM-WIRE-G3SI1-10", "MIG welding wire G3Si1 Ø1.0 mm, 15 kg spool", "spool", 24],
];

// Countries as ISO 3166-1 alpha-2 codes. Two suppliers have no risk level yet,
// so the risk dashboard has something to assess.
export const demoSuppliers = [
  { code: "NST", name: "Nordstahl Walzwerk GmbH", country: "DE", leadTimeDays: 21, riskLevel: "low" },
  { code: "ANA", name: "Anatolia Metal Sanayi A.S.", country: "TR", leadTimeDays: 14, riskLevel: "medium" },
  { code: "KBF", name: "Kingbright Bearing & Fastener Co.", country: "CN", leadTimeDays: 42, riskLevel: "high" },
  { code: "VTX", name: "Vertex Fasteners s.r.o.", country: "CZ", leadTimeDays: 7, riskLevel: null },
  { code: "IBP", name: "Iberia Pinturas Industriales S.L.", country: "ES", leadTimeDays: 10, riskLevel: null },
  { code: "MES", name: "Midlands Electrical Supply Ltd", country: "GB", leadTimeDays: 5, riskLevel: "low" },
] as const;

type WorkOrderRow = [
  machine: string,
  operation: string,
  producesSku: string,
  quantity: number,
  priority: number,
  dueInHours: number,
];

// Each machine's queue in running order: the first order on a running machine
// is the one in progress, the rest wait. Priority 1 is the most urgent.
// Due dates count in hours from the start of the hour the seed runs in.
export const demoWorkOrders: ReadonlyArray<WorkOrderRow> = [
  ["PRS-01", "press", "PRT-BRK-100", 800, 2, 14],
  ["PRS-01", "press", "PRT-BRK-100", 1200, 3, 30],
  ["PRS-01", "press", "PRT-PNL-SS", 150, 3, 52],
  ["PRS-02", "press", "PRT-PNL-SS", 200, 2, 16],
  ["PRS-02", "press", "PRT-BRK-100", 600, 4, 40],
  ["PRS-02", "press", "PRT-PNL-SS", 120, 5, 76],
  ["PRS-03", "press", "PRT-BRK-100", 400, 3, 44],
  ["PRS-03", "laser-cut", "PRT-PNL-SS", 80, 4, 64],
  ["MCH-01", "cnc-mill", "PRT-HSG-62", 60, 1, 10],
  ["MCH-01", "cnc-mill", "PRT-HSG-62", 120, 3, 36],
  ["MCH-01", "cnc-mill", "PRT-HSG-62", 90, 4, 70],
  ["MCH-03", "cnc-lathe", "PRT-SHAFT-40", 40, 1, 12],
  ["MCH-03", "cnc-lathe", "PRT-SHAFT-40", 80, 2, 28],
  ["MCH-03", "cnc-lathe", "PRT-SHAFT-40", 60, 3, 50],
  ["MCH-03", "cnc-lathe", "PRT-SHAFT-40", 100, 5, 96],
  ["MCH-04", "cnc-lathe", "PRT-SHAFT-40", 30, 3, 46],
  ["MCH-04", "cnc-mill", "PRT-HSG-62", 40, 4, 72],
  ["WLD-01", "weld", "PRT-FRAME-W1", 12, 2, 18],
  ["WLD-01", "weld", "PRT-FRAME-W1", 20, 2, 34],
  ["WLD-01", "weld", "PRT-FRAME-W1", 16, 3, 58],
  ["WLD-01", "weld", "PRT-FRAME-W1", 24, 4, 90],
  ["WLD-03", "weld", "PRT-FRAME-W1", 4, 1, 20],
  ["ASM-01", "assemble", "FG-CONV-1200", 6, 1, 16],
  ["ASM-01", "assemble", "FG-CONV-1200", 10, 2, 40],
  ["ASM-01", "assemble", "FG-CONV-1200", 8, 3, 64],
  ["ASM-01", "assemble", "FG-CONV-1200", 12, 4, 112],
  ["ASM-02", "assemble", "FG-CONV-1200", 4, 2, 22],
  ["ASM-02", "test", "FG-CONV-1200", 10, 3, 46],
  ["ASM-02", "assemble", "FG-CONV-1200", 6, 3, 70],
  ["ASM-02", "test", "FG-CONV-1200", 14, 5, 120],
];
