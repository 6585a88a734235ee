// SPDX-License-Identifier: MIT
// The custom build of Apache ECharts served as /vendor/echarts/echarts.min.js (build.sh):
// bar charts on a grid, drawn as SVG, with label layout (values on bars, labels that hide
// rather than overlap). Nothing else of ECharts is in it.
import { init, use, version } from 'echarts/core';
import { BarChart } from 'echarts/charts';
import { GridComponent } from 'echarts/components';
import { SVGRenderer } from 'echarts/renderers';
import { LabelLayout } from 'echarts/features';

use([BarChart, GridComponent, SVGRenderer, LabelLayout]);
export { init, version };
