import type { Json } from '../json.js';

/** Derived from the recorded AWS executions (test ids under intrinsicfunctions/, LocalStack snapshots, Apache-2.0): the Parameters of the template, the input, the output AWS gave. */
export const RECORDED_INTRINSICS: { template: string; parameters: Json; input: Json; output: Json }[] = [
 {
  "template": "array_0.json5",
  "parameters": {
   "FunctionResult.$": "States.Array()"
  },
  "input": {
   "FunctionInput": "HelloWorld"
  },
  "output": {
   "FunctionResult": []
  }
 },
 {
  "template": "array_2.json5",
  "parameters": {
   "FunctionResult.$": "States.Array($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": "",
    "snd": ""
   }
  },
  "output": {
   "FunctionResult": [
    "",
    ""
   ]
  }
 },
 {
  "template": "array_2.json5",
  "parameters": {
   "FunctionResult.$": "States.Array($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": "HelloWorld",
    "snd": "HelloWorld"
   }
  },
  "output": {
   "FunctionResult": [
    "HelloWorld",
    "HelloWorld"
   ]
  }
 },
 {
  "template": "array_2.json5",
  "parameters": {
   "FunctionResult.$": "States.Array($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": null,
    "snd": null
   }
  },
  "output": {
   "FunctionResult": [
    null,
    null
   ]
  }
 },
 {
  "template": "array_2.json5",
  "parameters": {
   "FunctionResult.$": "States.Array($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": 1,
    "snd": 1
   }
  },
  "output": {
   "FunctionResult": [
    1,
    1
   ]
  }
 },
 {
  "template": "array_2.json5",
  "parameters": {
   "FunctionResult.$": "States.Array($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": 1.1,
    "snd": 1.1
   }
  },
  "output": {
   "FunctionResult": [
    1.1,
    1.1
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [],
    "snd": 2
   }
  },
  "output": {
   "FunctionResult": []
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [],
    "snd": 3
   }
  },
  "output": {
   "FunctionResult": []
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [],
    "snd": 4
   }
  },
  "output": {
   "FunctionResult": []
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [],
    "snd": 5
   }
  },
  "output": {
   "FunctionResult": []
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0
    ],
    "snd": 1
   }
  },
  "output": {
   "FunctionResult": [
    [
     0
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0
    ],
    "snd": 2
   }
  },
  "output": {
   "FunctionResult": [
    [
     0
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0
    ],
    "snd": 3
   }
  },
  "output": {
   "FunctionResult": [
    [
     0
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0
    ],
    "snd": 4
   }
  },
  "output": {
   "FunctionResult": [
    [
     0
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0
    ],
    "snd": 5
   }
  },
  "output": {
   "FunctionResult": [
    [
     0
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1
    ],
    "snd": 1
   }
  },
  "output": {
   "FunctionResult": [
    [
     0
    ],
    [
     1
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1
    ],
    "snd": 2
   }
  },
  "output": {
   "FunctionResult": [
    [
     0,
     1
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1
    ],
    "snd": 3
   }
  },
  "output": {
   "FunctionResult": [
    [
     0,
     1
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1
    ],
    "snd": 4
   }
  },
  "output": {
   "FunctionResult": [
    [
     0,
     1
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1
    ],
    "snd": 5
   }
  },
  "output": {
   "FunctionResult": [
    [
     0,
     1
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1,
     2
    ],
    "snd": 1
   }
  },
  "output": {
   "FunctionResult": [
    [
     0
    ],
    [
     1
    ],
    [
     2
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1,
     2
    ],
    "snd": 2
   }
  },
  "output": {
   "FunctionResult": [
    [
     0,
     1
    ],
    [
     2
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1,
     2
    ],
    "snd": 3
   }
  },
  "output": {
   "FunctionResult": [
    [
     0,
     1,
     2
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1,
     2
    ],
    "snd": 4
   }
  },
  "output": {
   "FunctionResult": [
    [
     0,
     1,
     2
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1,
     2
    ],
    "snd": 5
   }
  },
  "output": {
   "FunctionResult": [
    [
     0,
     1,
     2
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1,
     2,
     3
    ],
    "snd": 1
   }
  },
  "output": {
   "FunctionResult": [
    [
     0
    ],
    [
     1
    ],
    [
     2
    ],
    [
     3
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1,
     2,
     3
    ],
    "snd": 2
   }
  },
  "output": {
   "FunctionResult": [
    [
     0,
     1
    ],
    [
     2,
     3
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1,
     2,
     3
    ],
    "snd": 3
   }
  },
  "output": {
   "FunctionResult": [
    [
     0,
     1,
     2
    ],
    [
     3
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1,
     2,
     3
    ],
    "snd": 4
   }
  },
  "output": {
   "FunctionResult": [
    [
     0,
     1,
     2,
     3
    ]
   ]
  }
 },
 {
  "template": "array_partition.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayPartition($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     0,
     1,
     2,
     3
    ],
    "snd": 5
   }
  },
  "output": {
   "FunctionResult": [
    [
     0,
     1,
     2,
     3
    ]
   ]
  }
 },
 {
  "template": "array_contains.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [],
    "snd": null
   }
  },
  "output": {
   "FunctionResult": false
  }
 },
 {
  "template": "array_contains.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [],
    "snd": []
   }
  },
  "output": {
   "FunctionResult": false
  }
 },
 {
  "template": "array_contains.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [],
    "snd": 1
   }
  },
  "output": {
   "FunctionResult": false
  }
 },
 {
  "template": "array_contains.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     [
      1,
      2,
      3
     ],
     2
    ],
    "snd": null
   }
  },
  "output": {
   "FunctionResult": false
  }
 },
 {
  "template": "array_contains.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     [
      1,
      2,
      3
     ],
     2
    ],
    "snd": [
     1,
     2,
     3
    ]
   }
  },
  "output": {
   "FunctionResult": true
  }
 },
 {
  "template": "array_contains.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     {
      "1": 2,
      "2": []
     }
    ],
    "snd": {
     "1": 2,
     "2": []
    }
   }
  },
  "output": {
   "FunctionResult": true
  }
 },
 {
  "template": "array_contains.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     true,
     false
    ],
    "snd": true
   }
  },
  "output": {
   "FunctionResult": true
  }
 },
 {
  "template": "array_contains.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayContains($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     true,
     false
    ],
    "snd": false
   }
  },
  "output": {
   "FunctionResult": true
  }
 },
 {
  "template": "array_range.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)"
  },
  "input": {
   "FunctionInput": {
    "fst": 0,
    "snd": 9,
    "trd": 3
   }
  },
  "output": {
   "FunctionResult": [
    0,
    3,
    6,
    9
   ]
  }
 },
 {
  "template": "array_range.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)"
  },
  "input": {
   "FunctionInput": {
    "fst": 1,
    "snd": 9,
    "trd": 9
   }
  },
  "output": {
   "FunctionResult": [
    1
   ]
  }
 },
 {
  "template": "array_range.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayRange($.FunctionInput.fst, $.FunctionInput.snd, $.FunctionInput.trd)"
  },
  "input": {
   "FunctionInput": {
    "fst": 1,
    "snd": 9,
    "trd": 2
   }
  },
  "output": {
   "FunctionResult": [
    1,
    3,
    5,
    7,
    9
   ]
  }
 },
 {
  "template": "array_get_item.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayGetItem($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": [
     1,
     2,
     3,
     4,
     5,
     6,
     7,
     8,
     9
    ],
    "snd": 5
   }
  },
  "output": {
   "FunctionResult": 6
  }
 },
 {
  "template": "array_length.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayLength($.FunctionInput)"
  },
  "input": {
   "FunctionInput": [
    1,
    2,
    3,
    4,
    5,
    6,
    7,
    8,
    9
   ]
  },
  "output": {
   "FunctionResult": 9
  }
 },
 {
  "template": "array_length.json5",
  "parameters": {
   "FunctionResult.$": "States.ArrayLength($.FunctionInput)"
  },
  "input": {
   "FunctionInput": [
    null,
    null,
    true,
    true,
    false,
    false,
    1,
    1,
    1.1,
    0,
    0,
    "HelloWorld",
    "HelloWorld",
    [],
    [],
    [
     null
    ],
    [
     null
    ],
    {
     "a": 1,
     "b": 2
    },
    {
     "a": 1,
     "b": 2
    },
    {
     "a": 1,
     "b": 1
    }
   ]
  },
  "output": {
   "FunctionResult": 20
  }
 },
 {
  "template": "base64encode.json5",
  "parameters": {
   "FunctionResult.$": "States.Base64Encode($.FunctionInput)"
  },
  "input": {
   "FunctionInput": ""
  },
  "output": {
   "FunctionResult": ""
  }
 },
 {
  "template": "base64encode.json5",
  "parameters": {
   "FunctionResult.$": "States.Base64Encode($.FunctionInput)"
  },
  "input": {
   "FunctionInput": "Data to encode"
  },
  "output": {
   "FunctionResult": "RGF0YSB0byBlbmNvZGU="
  }
 },
 {
  "template": "base64decode.json5",
  "parameters": {
   "FunctionResult.$": "States.Base64Decode($.FunctionInput)"
  },
  "input": {
   "FunctionInput": ""
  },
  "output": {
   "FunctionResult": ""
  }
 },
 {
  "template": "base64decode.json5",
  "parameters": {
   "FunctionResult.$": "States.Base64Decode($.FunctionInput)"
  },
  "input": {
   "FunctionInput": "RGF0YSB0byBlbmNvZGU="
  },
  "output": {
   "FunctionResult": "Data to encode"
  }
 },
 {
  "template": "format_1.json5",
  "parameters": {
   "FunctionResult.$": "States.Format('Formatting argument {}.', $.FunctionInput)"
  },
  "input": {
   "FunctionInput": ""
  },
  "output": {
   "FunctionResult": "Formatting argument ."
  }
 },
 {
  "template": "format_1.json5",
  "parameters": {
   "FunctionResult.$": "States.Format('Formatting argument {}.', $.FunctionInput)"
  },
  "input": {
   "FunctionInput": " "
  },
  "output": {
   "FunctionResult": "Formatting argument  ."
  }
 },
 {
  "template": "format_1.json5",
  "parameters": {
   "FunctionResult.$": "States.Format('Formatting argument {}.', $.FunctionInput)"
  },
  "input": {
   "FunctionInput": "HelloWorld"
  },
  "output": {
   "FunctionResult": "Formatting argument HelloWorld."
  }
 },
 {
  "template": "format_1.json5",
  "parameters": {
   "FunctionResult.$": "States.Format('Formatting argument {}.', $.FunctionInput)"
  },
  "input": {
   "FunctionInput": 1
  },
  "output": {
   "FunctionResult": "Formatting argument 1."
  }
 },
 {
  "template": "format_1.json5",
  "parameters": {
   "FunctionResult.$": "States.Format('Formatting argument {}.', $.FunctionInput)"
  },
  "input": {
   "FunctionInput": "{\"Arg1\": 1, \"Arg2\": []}"
  },
  "output": {
   "FunctionResult": "Formatting argument {\"Arg1\": 1, \"Arg2\": []}."
  }
 },
 {
  "template": "format_2.json5",
  "parameters": {
   "FunctionResult.$": "States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": " ",
    "snd": " "
   }
  },
  "output": {
   "FunctionResult": "Formatting arguments fst=  and snd= ."
  }
 },
 {
  "template": "format_2.json5",
  "parameters": {
   "FunctionResult.$": "States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": 1,
    "snd": 1
   }
  },
  "output": {
   "FunctionResult": "Formatting arguments fst=1 and snd=1."
  }
 },
 {
  "template": "format_2.json5",
  "parameters": {
   "FunctionResult.$": "States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": 1.1,
    "snd": 1.1
   }
  },
  "output": {
   "FunctionResult": "Formatting arguments fst=1.1 and snd=1.1."
  }
 },
 {
  "template": "format_2.json5",
  "parameters": {
   "FunctionResult.$": "States.Format('Formatting arguments fst={} and snd={}.', $.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": "{\"Arg1\": 1, \"Arg2\": []}",
    "snd": "{\"Arg1\": 1, \"Arg2\": []}"
   }
  },
  "output": {
   "FunctionResult": "Formatting arguments fst={\"Arg1\": 1, \"Arg2\": []} and snd={\"Arg1\": 1, \"Arg2\": []}."
  }
 },
 {
  "template": "hash.json5",
  "parameters": {
   "FunctionResult.$": "States.Hash($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": "input data",
    "snd": "MD5"
   }
  },
  "output": {
   "FunctionResult": "812f45842bc6d66ee14572ce20db8e86"
  }
 },
 {
  "template": "hash.json5",
  "parameters": {
   "FunctionResult.$": "States.Hash($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": "input data",
    "snd": "SHA-256"
   }
  },
  "output": {
   "FunctionResult": "b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"
  }
 },
 {
  "template": "hash.json5",
  "parameters": {
   "FunctionResult.$": "States.Hash($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": "input data",
    "snd": "SHA-384"
   }
  },
  "output": {
   "FunctionResult": "d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"
  }
 },
 {
  "template": "hash.json5",
  "parameters": {
   "FunctionResult.$": "States.Hash($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": "input data",
    "snd": "SHA-512"
   }
  },
  "output": {
   "FunctionResult": "6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"
  }
 },
 {
  "template": "string_to_json.json5",
  "parameters": {
   "FunctionResult.$": "States.StringToJson($.FunctionInput)"
  },
  "input": {
   "FunctionInput": ""
  },
  "output": {
   "FunctionResult": null
  }
 },
 {
  "template": "string_to_json.json5",
  "parameters": {
   "FunctionResult.$": "States.StringToJson($.FunctionInput)"
  },
  "input": {
   "FunctionInput": " "
  },
  "output": {
   "FunctionResult": null
  }
 },
 {
  "template": "string_to_json.json5",
  "parameters": {
   "FunctionResult.$": "States.StringToJson($.FunctionInput)"
  },
  "input": {
   "FunctionInput": "null"
  },
  "output": {
   "FunctionResult": null
  }
 },
 {
  "template": "string_to_json.json5",
  "parameters": {
   "FunctionResult.$": "States.StringToJson($.FunctionInput)"
  },
  "input": {
   "FunctionInput": "-0"
  },
  "output": {
   "FunctionResult": 0
  }
 },
 {
  "template": "string_to_json.json5",
  "parameters": {
   "FunctionResult.$": "States.StringToJson($.FunctionInput)"
  },
  "input": {
   "FunctionInput": "1"
  },
  "output": {
   "FunctionResult": 1
  }
 },
 {
  "template": "string_to_json.json5",
  "parameters": {
   "FunctionResult.$": "States.StringToJson($.FunctionInput)"
  },
  "input": {
   "FunctionInput": "1.1"
  },
  "output": {
   "FunctionResult": 1.1
  }
 },
 {
  "template": "string_to_json.json5",
  "parameters": {
   "FunctionResult.$": "States.StringToJson($.FunctionInput)"
  },
  "input": {
   "FunctionInput": "true"
  },
  "output": {
   "FunctionResult": true
  }
 },
 {
  "template": "string_to_json.json5",
  "parameters": {
   "FunctionResult.$": "States.StringToJson($.FunctionInput)"
  },
  "input": {
   "FunctionInput": "\"HelloWorld\""
  },
  "output": {
   "FunctionResult": "HelloWorld"
  }
 },
 {
  "template": "string_to_json.json5",
  "parameters": {
   "FunctionResult.$": "States.StringToJson($.FunctionInput)"
  },
  "input": {
   "FunctionInput": "{\"Arg1\": 1, \"Arg2\": []}"
  },
  "output": {
   "FunctionResult": {
    "Arg1": 1,
    "Arg2": []
   }
  }
 },
 {
  "template": "json_to_string.json5",
  "parameters": {
   "FunctionResult.$": "States.JsonToString($.FunctionInput)"
  },
  "input": {
   "FunctionInput": 0
  },
  "output": {
   "FunctionResult": "0"
  }
 },
 {
  "template": "json_to_string.json5",
  "parameters": {
   "FunctionResult.$": "States.JsonToString($.FunctionInput)"
  },
  "input": {
   "FunctionInput": 1
  },
  "output": {
   "FunctionResult": "1"
  }
 },
 {
  "template": "json_to_string.json5",
  "parameters": {
   "FunctionResult.$": "States.JsonToString($.FunctionInput)"
  },
  "input": {
   "FunctionInput": 1.1
  },
  "output": {
   "FunctionResult": "1.1"
  }
 },
 {
  "template": "json_to_string.json5",
  "parameters": {
   "FunctionResult.$": "States.JsonToString($.FunctionInput)"
  },
  "input": {
   "FunctionInput": true
  },
  "output": {
   "FunctionResult": "true"
  }
 },
 {
  "template": "json_to_string.json5",
  "parameters": {
   "FunctionResult.$": "States.JsonToString($.FunctionInput)"
  },
  "input": {
   "FunctionInput": [
    1,
    2,
    "HelloWorld"
   ]
  },
  "output": {
   "FunctionResult": "[1,2,\"HelloWorld\"]"
  }
 },
 {
  "template": "json_to_string.json5",
  "parameters": {
   "FunctionResult.$": "States.JsonToString($.FunctionInput)"
  },
  "input": {
   "FunctionInput": {
    "Arg1": 1,
    "Arg2": []
   }
  },
  "output": {
   "FunctionResult": "{\"Arg1\":1,\"Arg2\":[]}"
  }
 },
 {
  "template": "json_merge.json5",
  "parameters": {
   "FunctionResult.$": "States.JsonMerge($.FunctionInput.fst, $.FunctionInput.snd, false)"
  },
  "input": {
   "FunctionInput": {
    "fst": {
     "a": {
      "a1": 1,
      "a2": 2
     },
     "b": 2,
     "d": 3
    },
    "snd": {
     "a": {
      "a3": 1,
      "a4": 2
     },
     "c": 3,
     "d": 4
    }
   }
  },
  "output": {
   "FunctionResult": {
    "a": {
     "a3": 1,
     "a4": 2
    },
    "b": 2,
    "c": 3,
    "d": 4
   }
  }
 },
 {
  "template": "math_add.json5",
  "parameters": {
   "FunctionResult.$": "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": 1.49,
    "snd": 1.5
   }
  },
  "output": {
   "FunctionResult": 3
  }
 },
 {
  "template": "math_add.json5",
  "parameters": {
   "FunctionResult.$": "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": 1.5,
    "snd": 1.51
   }
  },
  "output": {
   "FunctionResult": 4
  }
 },
 {
  "template": "math_add.json5",
  "parameters": {
   "FunctionResult.$": "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": -1.49,
    "snd": -1.5
   }
  },
  "output": {
   "FunctionResult": -2
  }
 },
 {
  "template": "math_add.json5",
  "parameters": {
   "FunctionResult.$": "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": -1.5,
    "snd": -1.51
   }
  },
  "output": {
   "FunctionResult": -3
  }
 },
 {
  "template": "math_add.json5",
  "parameters": {
   "FunctionResult.$": "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": 1.49,
    "snd": -1.49
   }
  },
  "output": {
   "FunctionResult": 0
  }
 },
 {
  "template": "math_add.json5",
  "parameters": {
   "FunctionResult.$": "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": 1.51,
    "snd": 0
   }
  },
  "output": {
   "FunctionResult": 2
  }
 },
 {
  "template": "math_add.json5",
  "parameters": {
   "FunctionResult.$": "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": -1.5,
    "snd": 0
   }
  },
  "output": {
   "FunctionResult": -1
  }
 },
 {
  "template": "math_add.json5",
  "parameters": {
   "FunctionResult.$": "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": -1.51,
    "snd": 0
   }
  },
  "output": {
   "FunctionResult": -2
  }
 },
 {
  "template": "math_add.json5",
  "parameters": {
   "FunctionResult.$": "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": 0.5,
    "snd": 0
   }
  },
  "output": {
   "FunctionResult": 1
  }
 },
 {
  "template": "math_add.json5",
  "parameters": {
   "FunctionResult.$": "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": 1.5,
    "snd": 0
   }
  },
  "output": {
   "FunctionResult": 2
  }
 },
 {
  "template": "math_add.json5",
  "parameters": {
   "FunctionResult.$": "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": 2.5,
    "snd": 0
   }
  },
  "output": {
   "FunctionResult": 3
  }
 },
 {
  "template": "math_add.json5",
  "parameters": {
   "FunctionResult.$": "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": -0.5,
    "snd": 0
   }
  },
  "output": {
   "FunctionResult": 0
  }
 },
 {
  "template": "math_add.json5",
  "parameters": {
   "FunctionResult.$": "States.MathAdd($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": -3.5,
    "snd": 0
   }
  },
  "output": {
   "FunctionResult": -3
  }
 },
 {
  "template": "string_split.json5",
  "parameters": {
   "FunctionResult.$": "States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": " , ",
    "snd": ","
   }
  },
  "output": {
   "FunctionResult": [
    " ",
    " "
   ]
  }
 },
 {
  "template": "string_split.json5",
  "parameters": {
   "FunctionResult.$": "States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": ",,,,",
    "snd": ","
   }
  },
  "output": {
   "FunctionResult": []
  }
 },
 {
  "template": "string_split.json5",
  "parameters": {
   "FunctionResult.$": "States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": "1,2,3,4,5",
    "snd": ","
   }
  },
  "output": {
   "FunctionResult": [
    "1",
    "2",
    "3",
    "4",
    "5"
   ]
  }
 },
 {
  "template": "string_split.json5",
  "parameters": {
   "FunctionResult.$": "States.StringSplit($.FunctionInput.fst, $.FunctionInput.snd)"
  },
  "input": {
   "FunctionInput": {
    "fst": "split on T and \nnew line",
    "snd": "T\n"
   }
  },
  "output": {
   "FunctionResult": [
    "split on ",
    " and ",
    "new line"
   ]
  }
 }
];
